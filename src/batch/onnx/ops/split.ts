/** Split along one axis into given sizes (opset 18: sizes as an input). */
import { attr } from '../attributes.ts';
import type { NodeOptions } from '../graph.ts';
import type { InferredOutput, OpSchema } from '../op-schema.ts';
import { normalizeAxis } from '../shape.ts';
import type { Tensor } from '../tensor.ts';

export const SPLIT: OpSchema = {
  opType: 'Split',
  infer: (ctx) => {
    const x = ctx.input(0);
    const axis = normalizeAxis(ctx.attr.int('axis', 0), x.rank, 'axis');
    const sizes = ctx.optional(1) === undefined ? undefined : ctx.requireConstInts(1, 'split');
    const d = x.shape[axis]!;
    let parts: number[];
    if (sizes !== undefined) {
      const total = sizes.reduce((a, b) => a + b, 0);
      if (typeof d === 'number' && total !== d)
        ctx.fail(`split sizes sum to ${total}, axis ${axis} has ${d}`);
      if (typeof d !== 'number' && d !== null) ctx.fail(`cannot split named dim ${d} into fixed sizes`);
      parts = sizes;
    } else {
      const n = ctx.attr.int('num_outputs');
      if (typeof d !== 'number') return ctx.fail('num_outputs split needs a static axis');
      const chunk = Math.ceil(d / n);
      parts = Array.from({ length: n }, (_, i) => Math.max(0, Math.min(chunk, d - i * chunk)));
    }
    return parts.map((size): InferredOutput => {
      const shape = [...x.shape];
      shape[axis] = size;
      return { dtype: x.dtype, shape };
    });
  },
};

export function split(x: Tensor, sizes: readonly number[], axis = 0, options?: NodeOptions): Tensor[] {
  return x.graph.addNode(SPLIT, [x, x.graph.ints(sizes)], { axis: attr.int(axis) }, options);
}
