/** OneHot(indices, depth, [off, on]) with the depth axis inserted at `axis`. */
import { attr } from '../attributes.ts';
import type { NodeOptions } from '../graph.ts';
import type { OpSchema } from '../op-schema.ts';
import type { Dim } from '../shape.ts';
import { normalizeAxis } from '../shape.ts';
import { tensorData } from '../tensor-data.ts';
import type { FloatDType } from '../dtype.ts';
import type { Tensor } from '../tensor.ts';
import { out } from './operand.ts';

export const ONE_HOT: OpSchema = {
  opType: 'OneHot',
  infer: (ctx) => {
    const indices = ctx.input(0);
    const values = ctx.input(2);
    if (values.rank !== 1 || (values.shape[0] !== 2 && values.shape[0] !== null)) {
      ctx.fail('values must be [off, on]');
    }
    const depth = ctx.constInts(1);
    const rank = indices.rank + 1;
    const axis = normalizeAxis(ctx.attr.int('axis', -1), rank, 'axis');
    const shape: Dim[] = [...indices.shape];
    shape.splice(axis, 0, depth?.[0] ?? null);
    return out(values.dtype, shape);
  },
};

/**
 * One-hot rows of `depth` classes along the last axis. onnxruntime's CPU kernel covers int64
 * indices with float32 values (and a few other pairs); cast the result for float64 graphs.
 */
export function oneHot(
  indices: Tensor,
  depth: number,
  options: NodeOptions & { dtype?: FloatDType; off?: number; on?: number } = {},
): Tensor {
  const g = indices.graph;
  const dtype = options.dtype ?? 'float32';
  const values = g.constant(tensorData(dtype, [options.off ?? 0, options.on ?? 1]));
  const d = g.constant(tensorData('int64', [depth], []));
  return g.addNode(ONE_HOT, [indices, d, values], { axis: attr.int(-1) }, options)[0]!;
}
