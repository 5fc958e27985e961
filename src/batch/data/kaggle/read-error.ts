/** Why the dataset's index files (train.csv, the sign map) could not be used. */
export type KaggleReadErrorCode =
  | 'file_unreadable'
  | 'csv_malformed'
  | 'csv_missing_column'
  | 'csv_bad_value'
  | 'csv_duplicate_sequence'
  | 'sign_map_malformed'
  | 'sign_map_bad_index';

/**
 * A problem with train.csv or sign_to_prediction_index_map.json. These are the index of the whole
 * dataset, so unlike a bad parquet file they stop the run: nothing sensible can be built from them.
 */
export class KaggleReadError extends Error {
  override readonly name = 'KaggleReadError';

  constructor(
    readonly code: KaggleReadErrorCode,
    readonly source: string,
    detail: string,
  ) {
    super(`${source}: ${detail} [${code}]`);
  }
}
