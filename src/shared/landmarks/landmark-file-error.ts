/**
 * Why a landmark file (or request body) could not be turned into a clip. The codes are a stable
 * contract: the preprocess CLI writes them to rejects.csv and the Worker returns them to callers.
 *
 * - `not_parquet`    the bytes are not a parquet file (no `PAR1` magic at the start)
 * - `not_arrow`      the bytes are not an Arrow IPC stream or file
 * - `invalid_json`   the bytes are not UTF-8 JSON
 * - `file_too_large` more bytes than MAX_BODY_BYTES (src/shared/limits.ts)
 * - `corrupt`        the container is recognised but cannot be decoded (truncated, bad footer or pages)
 * - `unsupported`    a valid file that uses something this reader does not decode (e.g. a ZSTD codec)
 * - `missing_column` one of frame, type, landmark_index, x, y, z is absent
 * - `bad_column_type` a column has the wrong physical type (e.g. text x, float frame, nested column)
 * - `unknown_type`   a row's `type` is null or not one of face, left_hand, pose, right_hand
 * - `landmark_index_out_of_range` a row's landmark_index is null, not an integer, or outside its type
 * - `bad_frame`      a row's frame is null or not an integer
 * - `duplicate_landmark` two rows name the same (frame, type, landmark_index)
 * - `no_frames`      zero rows (or an empty `frames` array)
 * - `too_many_frames` the clip spans more frames (or the table has more rows) than the limits allow
 * - `bad_shape`      a JSON body that is not `{"frames": [[[x, y, z] | null, ...543], ...]}`
 * - `non_finite`     a coordinate that is infinite, or beyond float32's range (NaN is "missing", not this)
 * - `coordinate_out_of_range` a finite coordinate no camera gives (COORDINATE_LIMIT, src/shared/limits.ts)
 * - `no_landmarks`   every point of every frame is missing: nothing to recognise
 *
 * Every message is written by us (never a JS engine's), names `source`, and quotes at most a short,
 * escaped piece of the input.
 */
export type LandmarkErrorCode =
  | 'not_parquet'
  | 'not_arrow'
  | 'invalid_json'
  | 'file_too_large'
  | 'corrupt'
  | 'unsupported'
  | 'missing_column'
  | 'bad_column_type'
  | 'unknown_type'
  | 'landmark_index_out_of_range'
  | 'bad_frame'
  | 'duplicate_landmark'
  | 'no_frames'
  | 'too_many_frames'
  | 'bad_shape'
  | 'non_finite'
  | 'coordinate_out_of_range'
  | 'no_landmarks';

export class LandmarkFileError extends Error {
  override readonly name = 'LandmarkFileError';
  readonly code: LandmarkErrorCode;
  /** The file path, or "request body": whatever the caller passed as `source`. */
  readonly source: string;

  constructor(code: LandmarkErrorCode, source: string, detail: string, options?: { cause?: unknown }) {
    super(`${source}: ${detail} [${code}]`, options);
    this.code = code;
    this.source = source;
  }
}

export function isLandmarkFileError(value: unknown): value is LandmarkFileError {
  return value instanceof LandmarkFileError;
}
