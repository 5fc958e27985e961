/** Squeeze and Unsqueeze with axes as an input (opset 13+). */
import type { NodeOptions } from '../graph.ts';
import type { OpSchema } from '../op-schema.ts';
import type { Dim } from '../shape.ts';
import { normalizeAxis } from '../shape.ts';
import type { Tensor } from '../tensor.ts';
import { out } from './operand.ts';

export const UNSQUEEZE: OpSchema = {
  opType: 'Unsqueeze',
  infer: (ctx) => {
    const x = ctx.input(0);
    const given = ctx.requireConstInts(1, 'axes');
    const rank = x.rank + given.length;
    const axes = given.map((a) => normalizeAxis(a, rank, 'axes'));
    if (new Set(axes).size !== axes.length) ctx.fail(`axes [${given.join(', ')}] repeat an axis`);
    const shape: Dim[] = [];
    let next = 0;
    for (let i = 0; i < rank; i++) shape.push(axes.includes(i) ? 1 : x.shape[next++]!);
    return out(x.dtype, shape);
  },
};

export const SQUEEZE: OpSchema = {
  opType: 'Squeeze',
  infer: (ctx) => {
    const x = ctx.input(0);
    const given = ctx.optional(1) === undefined ? undefined : ctx.requireConstInts(1, 'axes');
    let axes: number[];
    if (given === undefined) {
      if (x.shape.some((d) => typeof d !== 'number')) ctx.fail('squeeze without axes needs a static shape');
      axes = x.shape.flatMap((d, i) => (d === 1 ? [i] : []));
    } else {
      axes = given.map((a) => normalizeAxis(a, x.rank, 'axes'));
      for (const a of axes) {
        const d = x.shape[a];
        if (d !== 1 && d !== null) ctx.fail(`axis ${a} has size ${String(d)}, not 1`);
      }
    }
    return out(
      x.dtype,
      x.shape.filter((_, i) => !axes.includes(i)),
    );
  },
};

export function unsqueeze(x: Tensor, axes: readonly number[], options?: NodeOptions): Tensor {
  return x.graph.addNode(UNSQUEEZE, [x, x.graph.ints(axes)], {}, options)[0]!;
}

/** Remove the given size-1 axes (all size-1 axes of a static shape when omitted). */
export function squeeze(x: Tensor, axes?: readonly number[], options?: NodeOptions): Tensor {
  const inputs = axes === undefined ? [x] : [x, x.graph.ints(axes)];
  return x.graph.addNode(SQUEEZE, inputs, {}, options)[0]!;
}
