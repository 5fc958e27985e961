/**
 * The six landmark columns of a clip, decoded but not yet placed: one entry per row, in file order.
 * Every reader of tabular input (parquet, Arrow) produces this and hands it to `assembleClip`.
 * Numeric columns are float64 with NaN for null, so int16/int32/int64 and float32/float64 inputs
 * all arrive the same way; `typeCode` is the index into `LANDMARK_TYPES` (readers reject unknown types).
 */
export interface LandmarkColumns {
  readonly length: number;
  readonly frame: Float64Array;
  readonly typeCode: Uint8Array;
  readonly landmarkIndex: Float64Array;
  readonly x: Float64Array;
  readonly y: Float64Array;
  readonly z: Float64Array;
}

/** The column names every landmark table must have; `row_id` is optional and ignored. */
export const REQUIRED_COLUMNS = ['frame', 'type', 'landmark_index', 'x', 'y', 'z'] as const;
export type RequiredColumn = (typeof REQUIRED_COLUMNS)[number];
export const NUMERIC_COLUMNS = ['frame', 'landmark_index', 'x', 'y', 'z'] as const;
export type NumericColumn = (typeof NUMERIC_COLUMNS)[number];
