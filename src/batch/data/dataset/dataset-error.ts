export type DatasetErrorCode =
  | 'dataset_missing'
  | 'dataset_incomplete'
  | 'manifest_invalid'
  | 'shard_unreadable'
  | 'shard_schema'
  | 'shard_mismatch'
  | 'stats_invalid'
  | 'preprocess_version';

/** A preprocessed dataset directory (or one of its files) that does not honour the format contract. */
export class DatasetError extends Error {
  override readonly name = 'DatasetError';

  constructor(
    readonly code: DatasetErrorCode,
    readonly source: string,
    detail: string,
  ) {
    super(`${source}: ${detail} [${code}]`);
  }
}
