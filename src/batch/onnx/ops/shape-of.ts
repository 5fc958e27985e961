/** Shape and Size: a tensor's dims (or element count) as int64 data. */
import type { NodeOptions } from '../graph.ts';
import type { OpSchema } from '../op-schema.ts';
import { isStatic } from '../shape.ts';
import type { Tensor } from '../tensor.ts';
import { out } from './operand.ts';

export const SHAPE: OpSchema = {
  opType: 'Shape',
  infer: (ctx) => {
    const x = ctx.input(0);
    const shapeValue = x.shape;
    return [{ dtype: 'int64', shape: [shapeValue.length], shapeValue }];
  },
};

export const SIZE: OpSchema = {
  opType: 'Size',
  infer: () => out('int64', []),
};

/**
 * `x`'s shape as a 1-D int64 tensor: a constant when the shape is static (so downstream Reshape and
 * Expand see static targets and ORT can fold them), a Shape node otherwise.
 */
export function shapeOf(x: Tensor, options?: NodeOptions): Tensor {
  if (isStatic(x.shape)) return x.graph.ints(x.shape);
  return x.graph.addNode(SHAPE, [x], {}, options)[0]!;
}

/** Number of elements of `x` as an int64 scalar (a constant when static). */
export function sizeOf(x: Tensor, options?: NodeOptions): Tensor {
  if (isStatic(x.shape))
    return x.graph.scalar(
      x.shape.reduce((a, b) => a * b, 1),
      'int64',
    );
  return x.graph.addNode(SIZE, [x], {}, options)[0]!;
}
