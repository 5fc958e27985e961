import * as op from '../onnx/ops/index.ts';
import type { Tensor } from '../onnx/tensor.ts';
import type { FrameRows } from './frame-rows.ts';
import type { ModelContext } from './model-context.ts';

export interface Dropped {
  /** x with the dropped elements zeroed, NOT yet scaled. */
  readonly x: Tensor;
  /** The inverted-dropout factor 1 / (1 - rate) still to apply (1 when nothing was dropped). */
  readonly scale: number;
}

/**
 * Keras's inverted dropout, split in two: elements are kept with probability 1 - rate here, and the
 * kept ones must be multiplied by `scale` = 1 / (1 - rate) by the caller, which folds it into the
 * Dense that follows (Gemm's alpha) instead of spending a pass over the tensor on it. The mask is
 * multiplied in as a float (Where is ~3x slower than Mul in onnxruntime at these sizes). Without a
 * noise source (eval, inference) or at rate 0 nothing is added to the graph.
 *
 * For packed frames x [R, C], give `rows`: the noise is drawn per frame, [B, T, C] (a shape the
 * trainer knows before the run), and packed like x.
 */
export function dropout(ctx: ModelContext, x: Tensor, rate: number, name: string, rows?: FrameRows): Dropped {
  if (ctx.noise === undefined || rate === 0) return { x, scale: 1 };
  const noise = ctx.noise;
  return ctx.graph.scope(name, () => {
    const channels = x.shape[x.rank - 1] as number;
    const bits =
      rows === undefined
        ? noise.bernoulliLike(x, 1 - rate)
        : rows.pack(noise.bernoulliLike(rows.frameShaped(channels), 1 - rate), 'keep_rows');
    const keep = op.cast(bits, x.dtype, { name: 'keep' });
    return { x: op.mul(x, keep), scale: 1 / (1 - rate) };
  });
}
