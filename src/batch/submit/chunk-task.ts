import type { ClipFailure } from './clip-failure.ts';
import type { DecodeTimings } from './decode-timings.ts';

/**
 * One batch of clips for a decode worker. The buffers travel to the worker and back (transferred, not
 * copied) and are reused for later batches: fresh memory is slow to touch on these machines.
 */
export interface ChunkTask {
  /** Absolute paths, in listing order. */
  readonly files: readonly string[];
  /** Room for at least files.length clips of FRAME_VALUES. */
  readonly frames: Float32Array<ArrayBuffer>;
  /** Room for at least files.length clips of IDX_VALUES. */
  readonly idxs: Float32Array<ArrayBuffer>;
}

export interface ChunkResult {
  /** The task's buffers, rows 0..rows-1 filled with the clips that decoded, in listing order. */
  readonly frames: Float32Array<ArrayBuffer>;
  readonly idxs: Float32Array<ArrayBuffer>;
  /** Slots (positions in `files`) that failed, ascending; every other slot has a row. */
  readonly failures: readonly (ClipFailure & { readonly slot: number })[];
  readonly timings: DecodeTimings;
}
