export type RunDirErrorCode =
  /** --resume points at something that is not a run directory, or one this code cannot continue. */
  | 'bad_run_dir'
  /** --out names a run directory that already holds a run. */
  | 'run_exists'
  /** The dataset and the config disagree (sign count, frames per clip) or a split is empty. */
  | 'data_mismatch';

/** A run directory that cannot be started or reopened, with a message meant for the person at the terminal. */
export class RunDirError extends Error {
  override readonly name = 'RunDirError';

  constructor(
    readonly code: RunDirErrorCode,
    message: string,
  ) {
    super(message);
  }
}
