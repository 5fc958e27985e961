/** Pad (constant mode) with constant pads, optionally on selected axes (opset 18). */
import type { NodeOptions } from '../graph.ts';
import type { OpSchema } from '../op-schema.ts';
import type { Dim } from '../shape.ts';
import { normalizeAxis } from '../shape.ts';
import type { Tensor } from '../tensor.ts';
import { out } from './operand.ts';

export const PAD: OpSchema = {
  opType: 'Pad',
  infer: (ctx) => {
    const x = ctx.input(0);
    const pads = ctx.requireConstInts(1, 'pads');
    const axes =
      ctx.optional(3) === undefined
        ? x.shape.map((_, i) => i)
        : ctx.requireConstInts(3, 'axes').map((a) => normalizeAxis(a, x.rank, 'axes'));
    if (pads.length !== 2 * axes.length) ctx.fail(`pads has ${pads.length} entries for ${axes.length} axes`);
    const shape: Dim[] = [...x.shape];
    axes.forEach((a, i) => {
      const extra = pads[i]! + pads[i + axes.length]!;
      const d = shape[a]!;
      shape[a] = extra === 0 ? d : typeof d === 'number' ? d + extra : null;
    });
    return out(x.dtype, shape);
  },
};

/** Zero-pad (or `value`-pad) `x`: `begin[i]`/`end[i]` elements before/after on `axes[i]`. */
export function pad(
  x: Tensor,
  axes: readonly number[],
  begin: readonly number[],
  end: readonly number[],
  options: NodeOptions & { value?: number } = {},
): Tensor {
  const g = x.graph;
  const value = g.scalar(options.value ?? 0, x.dtype);
  return g.addNode(PAD, [x, g.ints([...begin, ...end]), value, g.ints(axes)], {}, options)[0]!;
}
