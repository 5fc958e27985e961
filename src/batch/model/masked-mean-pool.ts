import * as op from '../onnx/ops/index.ts';
import type { Tensor } from '../onnx/tensor.ts';
import type { FrameRows } from './frame-rows.ts';
import type { ModelContext } from './model-context.ts';

/**
 * Mean over the frames the mask keeps: packed frames x [R, C] -> [B, C]. The count is floored at 1 so
 * a clip without frames pools to zeros instead of NaN (the baseline divided by zero there).
 */
export function maskedMeanPool(ctx: ModelContext, packed: Tensor, rows: FrameRows): Tensor {
  return ctx.graph.scope('pool', () => {
    const x = rows.unpack(packed);
    const weights = op.unsqueeze(rows.mask, [2]);
    const total = op.reduceSum(op.mul(x, weights), [1]);
    const count = op.clamp(op.reduceSum(weights, [1]), 1);
    return op.div(total, count);
  });
}
