import type { Graph } from '../onnx/graph.ts';
import * as op from '../onnx/ops/index.ts';
import type { Tensor } from '../onnx/tensor.ts';
import { BATCH_DIM } from '../../shared/bundle/model-contract.ts';
import type { ModelContext } from './model-context.ts';

/** The symbolic size of the packed dimension: how many frames of the batch the mask keeps. */
export const ACTIVE_ROWS = 'active_rows';

/** The inputs of a graph whose frames the trainer packs (./frame-packing.ts fills them). */
export const PACKED_INPUTS = {
  /** float32 [active_rows, points, coords]: the kept frames, in slot order. */
  frames: 'packed_frames',
  /** int32 [active_rows]: each packed row's frame slot b * frames + t. */
  slots: 'frame_slots',
  /** int32 [batch, frames]: each slot's packed row (0 for slots not kept). */
  rowOfSlot: 'slot_rows',
  /** float32 [batch, frames]: 1 where the frame is kept, 0 where it is padding or masked. */
  mask: 'frame_mask',
} as const;

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
 * Two ways in. The inference graph (the deployed model's contract: padded clips) packs in the graph
 * with NonZero. The training and eval graphs are given the packing: the trainer knows every clip's
 * frames before the run, so it uploads only the kept ones, and the graph has no data-dependent
 * shapes to work out (NonZero has no GPU kernel in onnxruntime's WebGPU provider).
 */
export class FrameRows {
  private constructor(
    /** int32 or int64 [R]: flat slot b * T + t of each kept frame, in order. */
    readonly slots: Tensor,
    /** int32 or int64 [B, T]: each kept frame's row in the packed tensors; 0 (any valid row) for the others. */
    private readonly rowOfSlot: Tensor,
    /** [B, T] in the model's dtype: 1 where the frame is kept. */
    readonly mask: Tensor,
  ) {}

  /** Packs in the graph the frames `mask` (bool [B, T]) keeps. Needs one kept frame in the batch. */
  static fromMask(ctx: ModelContext, mask: Tensor): FrameRows {
    const g = ctx.graph;
    return g.scope('rows', () => {
      const flat = op.reshape(mask, [-1], { name: 'flat_mask' });
      const found = op.squeeze(op.nonZero(flat), [0]);
      const active = op.declareShape(found, [ACTIVE_ROWS], { name: 'active' });
      const count = op.gather(op.shapeOf(active), g.scalar(0, 'int64'));
      const positions = op.range(g, 0, count, 1);
      const zeros = op.constantOfShape(op.shapeOf(flat), 0, 'int64');
      const scattered = op.scatterND(zeros, op.unsqueeze(active, [1]), positions);
      const rowOfSlot = op.reshape(scattered, op.shapeOf(mask), { name: 'slot' });
      return new FrameRows(active, rowOfSlot, op.cast(mask, ctx.dtype, { name: 'mask' }));
    });
  }

  /** The packing as graph inputs (PACKED_INPUTS), for graphs whose batches the trainer packs. */
  static fed(ctx: ModelContext, frames: number): FrameRows {
    const g = ctx.graph;
    const slots = g.input(PACKED_INPUTS.slots, 'int32', [ACTIVE_ROWS]);
    const rowOfSlot = g.input(PACKED_INPUTS.rowOfSlot, 'int32', [BATCH_DIM, frames]);
    const mask = g.input(PACKED_INPUTS.mask, 'float32', [BATCH_DIM, frames]);
    return new FrameRows(slots, rowOfSlot, ctx.dtype === 'float32' ? mask : op.cast(mask, ctx.dtype));
  }

  /** [B, T, ...C] -> [R, C]: the kept frames' rows. */
  pack(x: Tensor, name = 'pack'): Tensor {
    const channels = x.shape.slice(2).map((d) => {
      if (typeof d !== 'number') throw new Error(`pack ${x.toString()}: channel dims must be static`);
      return d;
    });
    const rows = op.reshape(x, [-1, ...channels], { name: `${name}_flat` });
    return op.gather(rows, this.slots, 0, { name });
  }

  /**
   * [R, C] -> [B, T, C]. Rows of frames the mask drops hold an arbitrary kept row: finite values that
   * attention weighs by exactly 0; multiply by the mask where zeros are needed.
   */
  unpack(packed: Tensor, name = 'unpack'): Tensor {
    return op.gather(packed, this.rowOfSlot, 0, { name });
  }

  get graph(): Graph {
    return this.slots.graph;
  }
}
