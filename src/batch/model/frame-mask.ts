import * as op from '../onnx/ops/index.ts';
import type { Tensor } from '../onnx/tensor.ts';
import type { ModelContext } from './model-context.ts';

/**
 * Which frames the transformer and the pooling see, as a bool [B, T]: real frames (index != -1).
 * In training, random frame masking then keeps each real frame with probability 1 - rate, and a clip
 * that would lose every frame keeps its original mask instead (as the baseline does).
 */
export function frameMask(ctx: ModelContext, nonEmptyFrameIdxs: Tensor, rate: number): Tensor {
  return ctx.graph.scope('frame_mask', () => {
    const real = op.not(op.equal(nonEmptyFrameIdxs, -1), { name: 'real' });
    if (ctx.noise === undefined || rate === 0) return real;
    const kept = op.and(real, ctx.noise.bernoulliLike(real, 1 - rate));
    const keptCount = op.reduceSum(op.cast(kept, 'int32'), [1], { keepDims: true });
    // Bool logic rather than Where: onnxruntime has no bool Where kernel.
    return op.or(kept, op.and(real, op.equal(keptCount, 0)), { name: 'mask' });
  });
}
