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
 * For packed frames x [R, C], give `rows`: each element's draw is then numbered by its frame's slot
 * (b * T + t) and channel, as if drawn over [B, T, C], so a frame's mask does not depend on which
 * other frames the batch keeps.
 */
export function dropout(ctx: ModelContext, x: Tensor, rate: number, name: string, rows?: FrameRows): Dropped {
  if (ctx.noise === undefined || rate === 0) return { x, scale: 1 };
  const noise = ctx.noise;
  return ctx.graph.scope(name, () => {
    const kept = noise.keepMask(
      x,
      1 - rate,
      rows === undefined ? { kind: 'dense' } : { kind: 'rows', slots: rows.slots },
    );
    const keep = op.cast(kept, x.dtype, { name: 'keep' });
    return { x: op.mul(x, keep), scale: 1 / (1 - rate) };
  });
}
