export type CheckpointErrorCode =
  /** The file ends before its header or its tensor data does. */
  | 'truncated'
  /** The safetensors header is not what the format allows (length, JSON, offsets, sizes). */
  | 'bad_header'
  | 'unsupported_dtype'
  /** A tensor is stored with a different element type than the reader needs. */
  | 'dtype_mismatch'
  | 'shape_mismatch'
  | 'missing_tensor'
  /** A tensor handed to the writer is inconsistent (name, shape, length). */
  | 'invalid_tensor'
  /** checkpoint.json is missing, not JSON, or not a checkpoint description. */
  | 'bad_sidecar'
  /** checkpoint.json and checkpoint.safetensors do not describe the same data. */
  | 'sidecar_mismatch';

/** A checkpoint (or a safetensors file) that cannot be written or trusted. */
export class CheckpointError extends Error {
  override readonly name = 'CheckpointError';

  constructor(
    readonly code: CheckpointErrorCode,
    readonly source: string,
    detail: string,
  ) {
    super(`${source}: ${detail} [${code}]`);
  }
}
