import { POINTS_PER_FRAME } from './landmarks/layout.ts';

/*
 * Every limit on a clip that reaches us, in one place. The Worker, `npm run submit` and
 * `npm run preprocess` all refuse what exceeds them, so a clip gets the same answer — or the same
 * refusal — from each. The Worker's MAX_FRAMES and MAX_BODY_BYTES vars may lower the first two for
 * one deployment, never raise them (a larger value is refused as a deploy mistake).
 *
 * | limit            | value              | refused as                                                      |
 * | ---------------- | ------------------ | --------------------------------------------------------------- |
 * | MAX_FRAMES       | 1,000              | `too_many_frames` (the span first frame .. last frame)          |
 * | MAX_ROWS         | 543,000            | `too_many_frames` (a valid table has at most 543 rows a frame)  |
 * | MAX_BODY_BYTES   | 16 MiB             | Worker 413 `payload_too_large`; batch `file_too_large`          |
 * | COORDINATE_LIMIT | x, y ±10; z ±50    | `coordinate_out_of_range` (beyond float32: `non_finite`)        |
 *
 * Why these numbers:
 * - Frames: the longest clip of the 94,477 in the competition's training set has 537 frames (the
 *   50 real files beside the repository reach 272, median 18). 1,000 frames (33 s at 30 fps) leaves
 *   ~1.9x headroom for unseen clips, while the decoded clip stays small: 6.5 MB of tensor and, for a
 *   parquet file, ~22 MB of row columns at the row limit.
 * - Body: the real files take 5.6–18.8 KB per frame (median 15.9 KB, FILES.tsv), so a real-layout
 *   parquet file of 1,000 frames is ~16 MB. A JSON clip is about twice as large per frame, so JSON
 *   reaches the byte limit at roughly 500 frames; parquet and Arrow are the formats for long clips.
 * - Coordinates: MediaPipe's x and y are normalised to the image (0..1 on screen), z is a depth on
 *   about the same scale; landmarks it extrapolates off-screen leave that range. Over the 925,362
 *   present landmarks of the real files: x -0.31..1.37, y 0.03..2.90, z -4.06..3.95 (pose z is the
 *   widest). 10 is 3.4x the largest |x| or |y| seen and 50 is 12x the largest |z|: anything beyond is
 *   not a camera's landmark but a unit mistake or garbage, and one such clip moved the training
 *   set's normalisation statistics by 28 orders of magnitude and made the model answer NaN.
 */

/** Most frames a clip may span (last frame - first frame + 1). */
export const MAX_FRAMES = 1000;

/** Most rows a landmark table may have: one per point per frame. */
export const MAX_ROWS = MAX_FRAMES * POINTS_PER_FRAME;

/** Largest clip body (request body or file) in bytes. */
export const MAX_BODY_BYTES = 16 * 1024 * 1024;

/** Largest absolute value of a landmark coordinate, per axis (x, y, z). */
export const COORDINATE_LIMIT: readonly [x: number, y: number, z: number] = [10, 10, 50];

export const AXIS_NAMES = ['x', 'y', 'z'] as const;

/** Whether a present (non-NaN) coordinate on `axis` (0 = x, 1 = y, 2 = z) is one MediaPipe could give. */
export function isPlausibleCoordinate(axis: number, value: number): boolean {
  return Math.abs(value) <= COORDINATE_LIMIT[axis]!;
}
