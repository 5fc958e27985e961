import { assembleClip } from './assemble.ts';
import type { Clip } from './clip.ts';
import { decodeLandmarkColumns } from './parquet-columns.ts';
import type { ReadOptions } from './read-options.ts';

/**
 * Parquet bytes (one Kaggle ASL-Signs clip) -> dense float32 [frames, 543, 3], NaN where missing.
 * Accepts what pandas/pyarrow wrote for the competition (int16-annotated INT32 frame and
 * landmark_index, DOUBLE x/y/z with nulls, dictionary pages with plain fallback, Snappy) and the same
 * table from other writers: FLOAT or DOUBLE, INT32 or INT64, NaN or null, v1 or v2 pages, several row
 * groups, rows in any order, absent rows. `row_id` is never read: (frame, type, landmark_index) place
 * each row. Every failure is a LandmarkFileError naming `source`.
 *
 * Async so that callers need not change if decoding ever moves off the calling thread.
 */
export async function readLandmarkParquet(
  bytes: Uint8Array,
  source: string,
  opts?: ReadOptions,
): Promise<Clip> {
  return assembleClip(decodeLandmarkColumns(bytes, source, opts), source, opts);
}
