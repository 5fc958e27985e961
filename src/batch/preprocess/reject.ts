/** A listed file that did not make it into the dataset, and why. */
export interface Reject {
  /** The path as listed in train.csv. */
  readonly path: string;
  /** Stable machine-readable reason: a LandmarkFileError code, or one of RejectCode. */
  readonly code: string;
  readonly message: string;
}

/** Reasons decided by the pipeline itself (the parquet reader's own codes pass through unchanged). */
export type RejectCode =
  'file_missing' | 'file_unreadable' | 'unknown_sign' | 'preprocess_failed' | 'worker_crashed';
