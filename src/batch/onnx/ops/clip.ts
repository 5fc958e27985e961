/** Clip to [min, max] (scalar bounds as optional inputs, opset 11+). */
import type { NodeOptions } from '../graph.ts';
import type { OpSchema } from '../op-schema.ts';
import type { Tensor } from '../tensor.ts';
import type { Operand } from './operand.ts';
import { isTensor, out } from './operand.ts';

export const CLIP: OpSchema = {
  opType: 'Clip',
  infer: (ctx) => {
    const x = ctx.input(0);
    for (const i of [1, 2]) {
      const b = ctx.optional(i);
      if (b === undefined) continue;
      if (b.dtype !== x.dtype) ctx.fail(`bound ${b.name} is ${b.dtype}, input is ${x.dtype}`);
      if (b.rank !== 0) ctx.fail(`bound ${b.name} must be a scalar`);
    }
    return out(x.dtype, x.shape);
  },
};

/** Clamp to [min, max]; either bound may be omitted. */
export function clip(x: Tensor, min?: Operand, max?: Operand, options?: NodeOptions): Tensor {
  const bound = (b: Operand | undefined) =>
    b === undefined ? undefined : isTensor(b) ? b : x.graph.scalar(b, x.dtype);
  return x.graph.addNode(CLIP, [x, bound(min), bound(max)], {}, options)[0]!;
}
