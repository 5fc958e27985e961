/**
 * Why normalisation statistics were refused:
 * - `invalid_stats`    not the NormalizationStats / StatsAccumulatorState shape, or a value out of range
 * - `version_mismatch` computed for another preprocessing version than this code runs
 */
export type StatsErrorCode = 'invalid_stats' | 'version_mismatch';

export class StatsError extends Error {
  override readonly name = 'StatsError';
  readonly code: StatsErrorCode;
  /** A file path, or a description of where the value came from. */
  readonly source: string;

  constructor(code: StatsErrorCode, source: string, detail: string) {
    super(`${source}: ${detail} [${code}]`);
    this.code = code;
    this.source = source;
  }
}
