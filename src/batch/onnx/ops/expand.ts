/** Expand: broadcast to a shape (bidirectionally, as the spec says). */
import type { NodeOptions } from '../graph.ts';
import type { OpSchema } from '../op-schema.ts';
import type { Dim } from '../shape.ts';
import { broadcastShapes } from '../shape.ts';
import type { Tensor } from '../tensor.ts';
import { out } from './operand.ts';

export const EXPAND: OpSchema = {
  opType: 'Expand',
  infer: (ctx) => {
    const x = ctx.input(0);
    const target = ctx.shapeValue(1);
    if (target === undefined) {
      const len = ctx.input(1).shape[0];
      if (typeof len !== 'number') return ctx.fail('shape input has unknown length');
      const rank = Math.max(len, x.rank);
      return out(x.dtype, new Array<Dim>(rank).fill(null));
    }
    return out(x.dtype, broadcastShapes([x.shape, target], 'expand'));
  },
};

/** Broadcast `x` to `shape` (a shape tensor, e.g. `shapeOf(y)`, or static dims). */
export function expand(x: Tensor, shape: Tensor | readonly number[], options?: NodeOptions): Tensor {
  const s = Array.isArray(shape) ? x.graph.ints(shape as readonly number[]) : (shape as Tensor);
  return x.graph.addNode(EXPAND, [x, s], {}, options)[0]!;
}
