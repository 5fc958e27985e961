import type { LandmarkErrorCode } from '../../shared/landmarks/landmark-file-error.ts';

/**
 * Why a listed clip got the fallback prediction: a LandmarkFileError code from the reader, or one the
 * scorer decides itself.
 * - `file_missing`      the listed file does not exist
 * - `file_unreadable`   it exists but cannot be read (permissions, a directory, I/O error)
 * - `decode_failed`     the reader threw an untyped error (a reader bug: report it with the file)
 * - `preprocess_failed` the clip decoded but preprocessing threw (a bug: report it with the file)
 * - `worker_crashed`    the worker thread decoding the clip's batch died
 * - `non_finite_output` the model gave a probability that is NaN or outside [0, 1] (never written out)
 *
 * A file over the shared byte limit is the reader's `file_too_large` (src/shared/limits.ts).
 */
export type ClipFailureCode =
  | LandmarkErrorCode
  | 'file_missing'
  | 'file_unreadable'
  | 'decode_failed'
  | 'preprocess_failed'
  | 'worker_crashed'
  | 'non_finite_output';

export interface ClipFailure {
  readonly code: ClipFailureCode;
  readonly message: string;
}
