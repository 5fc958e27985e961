/**
 * The host side of the train and eval graphs' packed inputs (frame-rows.ts, PACKED_INPUTS): which
 * frames of a batch the model sees, and those frames alone, laid end to end.
 *
 * In training, random frame masking keeps each real frame (index != -1) with probability 1 - rate,
 * drawn from the counter hash's stream FRAME_MASK_STREAM with counter b * T + t, and a clip that would
 * lose every frame keeps all its real frames instead (as the baseline does). Deciding this here, before
 * the upload, is what makes the upload compact: only kept frames travel to the device, and no graph has
 * to find them (NonZero has no GPU kernel).
 */
import type { TensorData } from '../onnx/tensor-data.ts';
import { tensorData } from '../onnx/tensor-data.ts';
import { draw16, keepThreshold16 } from '../random/counter-hash.ts';
import { N_COORDS, N_POINTS } from '../../shared/preprocess/constants.ts';
import { MODEL_INPUTS } from './signcast-model.ts';

/** The noise stream of random frame masking; the graph's dropout streams come after it. */
export const FRAME_MASK_STREAM = 0;

/** Values of one frame: its points' coordinates. */
export const FRAME_POINT_VALUES = N_POINTS * N_COORDS;

/** One clip as preprocessing left it: T padded frames and each frame's index (-1 = padding). */
export interface PaddedClip {
  /** [T, N_POINTS, N_COORDS] */
  readonly frames: Float32Array;
  /** [T] */
  readonly nonEmptyFrameIdxs: Float32Array;
  readonly label: number;
}

/**
 * The arrays of a packed batch. In a PackedBatch they are views of the first R rows, B clips; as the
 * buffers a packer fills (PackBuffers), each is sized for the packer's capacity.
 */
export interface PackBuffers {
  /** [R, N_POINTS, N_COORDS] */
  readonly frames: Float32Array;
  /** [R]: b * T + t of each row, ascending. */
  readonly slots: Int32Array;
  /** [B, T]: each slot's row; 0 for slots not kept. */
  readonly rowOfSlot: Int32Array;
  /** [B, T]: 1 where kept. */
  readonly mask: Float32Array;
  /** [B, T] */
  readonly nonEmptyFrameIdxs: Float32Array;
  /** [B] */
  readonly labels: Int32Array;
}

/** A packed batch: views over the packer's buffers, valid until its next `pack`. */
export interface PackedBatch extends PackBuffers {
  readonly batch: number;
  /** Frames kept over the whole batch (R). */
  readonly rows: number;
}

/** Random frame masking for one step: keep each real frame with probability `keep` under `key`. */
export interface FrameMasking {
  readonly key: number;
  readonly keep: number;
}

/** Buffers for `capacity` clips of `frames` frames. */
export function allocatePackBuffers(capacity: number, frames: number): PackBuffers {
  const slots = capacity * frames;
  return {
    frames: new Float32Array(slots * FRAME_POINT_VALUES),
    slots: new Int32Array(slots),
    rowOfSlot: new Int32Array(slots),
    mask: new Float32Array(slots),
    nonEmptyFrameIdxs: new Float32Array(slots),
    labels: new Int32Array(capacity),
  };
}

/**
 * The whole buffers behind a packed batch's views: what a batch hands back for reuse, or moves to
 * another thread (their ArrayBuffers are the transfer list).
 */
export function packBuffersOf(batch: PackedBatch): PackBuffers {
  return {
    frames: new Float32Array(batch.frames.buffer),
    slots: new Int32Array(batch.slots.buffer),
    rowOfSlot: new Int32Array(batch.rowOfSlot.buffer),
    mask: new Float32Array(batch.mask.buffer),
    nonEmptyFrameIdxs: new Float32Array(batch.nonEmptyFrameIdxs.buffer),
    labels: new Int32Array(batch.labels.buffer),
  };
}

/**
 * Packs batches into buffers allocated once for `capacity` clips of `frames` frames (fresh memory is
 * slow to touch on these machines; a baseline training batch is up to 51 MB of frames), or into the
 * `buffers` given, which must have been allocated for the same capacity and frames.
 */
export class FramePacker {
  constructor(
    readonly capacity: number,
    readonly frames: number,
    private readonly buffers: PackBuffers = allocatePackBuffers(capacity, frames),
  ) {
    const slots = capacity * frames;
    if (
      buffers.frames.length !== slots * FRAME_POINT_VALUES ||
      buffers.labels.length !== capacity ||
      [buffers.slots, buffers.rowOfSlot, buffers.mask, buffers.nonEmptyFrameIdxs].some(
        (b) => b.length !== slots,
      )
    ) {
      throw new RangeError(`pack buffers are not sized for ${capacity} clips of ${frames} frames`);
    }
  }

  /** Packs clips 0 .. n-1; `masking` null keeps every real frame (evaluation). */
  pack(n: number, clip: (i: number) => PaddedClip, masking: FrameMasking | null): PackedBatch {
    if (!(n > 0 && n <= this.capacity))
      throw new RangeError(`batch of ${n} clips, capacity ${this.capacity}`);
    const T = this.frames;
    const buf = this.buffers;
    const threshold = masking === null ? 65536 : keepThreshold16(masking.keep);
    let rows = 0;
    for (let b = 0; b < n; b++) {
      const c = clip(b);
      if (c.frames.length !== T * FRAME_POINT_VALUES || c.nonEmptyFrameIdxs.length !== T) {
        throw new RangeError(`clip ${b}: expected ${T} frames of ${FRAME_POINT_VALUES} values`);
      }
      buf.labels[b] = c.label;
      buf.nonEmptyFrameIdxs.set(c.nonEmptyFrameIdxs, b * T);
      const keeps = (t: number, real: boolean): boolean =>
        real && (threshold >= 65536 || draw16(masking!.key, b * T + t) < threshold);
      let kept = 0;
      for (let t = 0; t < T; t++) if (keeps(t, c.nonEmptyFrameIdxs[t] !== -1)) kept++;
      // A clip the masking would empty keeps its real frames.
      const fallback = kept === 0;
      for (let t = 0; t < T; t++) {
        const slot = b * T + t;
        const real = c.nonEmptyFrameIdxs[t] !== -1;
        if (fallback ? real : keeps(t, real)) {
          buf.slots[rows] = slot;
          buf.rowOfSlot[slot] = rows;
          buf.mask[slot] = 1;
          buf.frames.set(
            c.frames.subarray(t * FRAME_POINT_VALUES, (t + 1) * FRAME_POINT_VALUES),
            rows * FRAME_POINT_VALUES,
          );
          rows++;
        } else {
          buf.rowOfSlot[slot] = 0;
          buf.mask[slot] = 0;
        }
      }
    }
    return {
      batch: n,
      rows,
      frames: buf.frames.subarray(0, rows * FRAME_POINT_VALUES),
      slots: buf.slots.subarray(0, rows),
      rowOfSlot: buf.rowOfSlot.subarray(0, n * T),
      mask: buf.mask.subarray(0, n * T),
      nonEmptyFrameIdxs: buf.nonEmptyFrameIdxs.subarray(0, n * T),
      labels: buf.labels.subarray(0, n),
    };
  }
}

/**
 * The packed inputs of a train or eval graph over `batch`'s buffers (no copies), as TensorData: the
 * trainer wraps them as onnxruntime tensors, the tests run them through runSession.
 */
export function packedFeeds(batch: PackedBatch, frames: number): Record<string, TensorData> {
  const { batch: n, rows } = batch;
  return {
    [MODEL_INPUTS.frames]: tensorData('float32', batch.frames, [rows, N_POINTS, N_COORDS]),
    [MODEL_INPUTS.slots]: tensorData('int32', batch.slots, [rows]),
    [MODEL_INPUTS.rowOfSlot]: tensorData('int32', batch.rowOfSlot, [n, frames]),
    [MODEL_INPUTS.mask]: tensorData('float32', batch.mask, [n, frames]),
    [MODEL_INPUTS.nonEmptyFrameIdxs]: tensorData('float32', batch.nonEmptyFrameIdxs, [n, frames]),
    [MODEL_INPUTS.labels]: tensorData('int32', batch.labels, [n]),
  };
}
