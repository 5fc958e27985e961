import * as op from '../onnx/ops/index.ts';
import type { Tensor } from '../onnx/tensor.ts';
import type { ModelContext } from './model-context.ts';

/** The symbolic size of the packed dimension: how many frames of the batch the mask keeps. */
export const ACTIVE_ROWS = 'active_rows';

/**
 * The frames the mask keeps, packed: per-frame layers run on [R, C] instead of [B, T, C].
 *
 * Only kept frames can influence the loss or the probabilities: a masked frame is never attended to
 * (its key gets -1e9, so its attention weight is exactly 0 and its value is multiplied by 0), pooling
 * skips it, and its own query row reaches nothing else. Computing it is wasted work, and most of the
 * work: real clips fill on average a quarter of the 64 frames (median 10 of 64 in the 50 real files
 * here), and training masks a further quarter of those. So the embedding, the projections and the
 * MLPs, 98% of the model's FLOPs, run on the kept frames only, and only attention sees the [B, T]
 * layout. The function computed, and hence every gradient, is the same as with all frames.
 *
 * Needs at least one kept frame in the batch (every clip keeps one: frame-mask.ts).
 */
export class FrameRows {
  /** int64 [R]: flat index b * T + t of each kept frame, in order. */
  readonly active: Tensor;
  /** int64 [B, T]: each kept frame's row in the packed tensors; 0 (any valid row) for the others. */
  private readonly slot: Tensor;

  constructor(
    private readonly ctx: ModelContext,
    private readonly mask: Tensor,
  ) {
    const g = ctx.graph;
    const { active, slot } = g.scope('rows', () => {
      const flat = op.reshape(mask, [-1], { name: 'flat_mask' });
      const found = op.squeeze(op.nonZero(flat), [0]);
      const active = op.declareShape(found, [ACTIVE_ROWS], { name: 'active' });
      const count = op.gather(op.shapeOf(active), g.scalar(0, 'int64'));
      const positions = op.range(g, 0, count, 1);
      const zeros = op.constantOfShape(op.shapeOf(flat), 0, 'int64');
      const scattered = op.scatterND(zeros, op.unsqueeze(active, [1]), positions);
      return { active, slot: op.reshape(scattered, op.shapeOf(mask), { name: 'slot' }) };
    });
    this.active = active;
    this.slot = slot;
  }

  /** [B, T, ...C] -> [R, C]: the kept frames' rows. */
  pack(x: Tensor, name = 'pack'): Tensor {
    const channels = x.shape.slice(2).map((d) => {
      if (typeof d !== 'number') throw new Error(`pack ${x.toString()}: channel dims must be static`);
      return d;
    });
    const rows = op.reshape(x, [-1, ...channels], { name: `${name}_flat` });
    return op.gather(rows, this.active, 0, { name });
  }

  /**
   * [R, C] -> [B, T, C]. Rows of frames the mask drops hold an arbitrary kept row: finite values that
   * attention weighs by exactly 0; multiply by the mask where zeros are needed.
   */
  unpack(packed: Tensor, name = 'unpack'): Tensor {
    return op.gather(packed, this.slot, 0, { name });
  }

  /** A tensor shaped [B, T, channels] (for noise drawn per frame and packed afterwards). */
  frameShaped(channels: number): Tensor {
    const shape = op.concat([op.shapeOf(this.mask), this.ctx.graph.ints([channels])], 0);
    return op.constantOfShape(shape, 0, 'uint16', { name: 'frame_shaped' });
  }
}
