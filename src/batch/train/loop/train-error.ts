export type TrainErrorCode =
  /** The dataset and the config disagree (sign count, frames per clip) or a split is empty. */
  | 'data_mismatch'
  /** The initialised model predicts NaN or infinity before any training. */
  | 'non_finite_init'
  /** Training produced a non-finite loss or gradient norm. */
  | 'non_finite_loss'
  /** --resume points at something that is not a run directory, or one this code cannot continue. */
  | 'bad_run_dir'
  /** --out names a run directory that already holds a run. */
  | 'run_exists';

/** A training run that cannot start or go on, with a message meant for the person at the terminal. */
export class TrainError extends Error {
  override readonly name = 'TrainError';

  constructor(
    readonly code: TrainErrorCode,
    message: string,
  ) {
    super(message);
  }
}
