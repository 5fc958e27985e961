export type TrainErrorCode =
  /** The initialised model predicts NaN or infinity before any training. */
  | 'non_finite_init'
  /** Training produced a non-finite loss or gradient norm. */
  | 'non_finite_loss';

/**
 * Training that cannot start or go on (the run directory has its own RunDirError), with a message meant
 * for the person at the terminal.
 */
export class TrainError extends Error {
  override readonly name = 'TrainError';

  constructor(
    readonly code: TrainErrorCode,
    message: string,
  ) {
    super(message);
  }
}
