/**
 * Why `npm run submit` stopped before scoring. A bad clip never stops a run (it gets the fallback and a
 * line in errors.csv); these are the problems with the run's own inputs, where guessing would write a
 * wrong submission. A bundle that cannot be used is a BundleError, as in the Worker.
 *
 * - `listing_unreadable` the listing CSV or the data directory cannot be read
 * - `listing_invalid`    the listing CSV lacks `path` / `sequence_id`, or has a bad or repeated id
 * - `no_clips`           nothing to score: the CSV has no rows, or the directory holds no parquet file
 * - `labels_missing`     `--evaluate` without labels (no `sign` column, no test_labels.csv, no --labels)
 * - `journal_mismatch`   the journal beside the output was made by another model, listing or batch size
 * - `journal_corrupt`    the journal has a damaged record before its last line (a torn last line is fine)
 * - `output_unwritable`  the output, its journal or errors.csv cannot be written
 */
export type SubmitErrorCode =
  | 'listing_unreadable'
  | 'listing_invalid'
  | 'no_clips'
  | 'labels_missing'
  | 'journal_mismatch'
  | 'journal_corrupt'
  | 'output_unwritable';

export class SubmitError extends Error {
  override readonly name = 'SubmitError';
  readonly code: SubmitErrorCode;
  /** The file or directory the problem is about. */
  readonly source: string;

  constructor(code: SubmitErrorCode, source: string, detail: string, options?: { cause?: unknown }) {
    super(`${source}: ${detail} [${code}]`, options);
    this.code = code;
    this.source = source;
  }
}
