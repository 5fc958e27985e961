/**
 * The last guard on a model's answer: every probability of a clip must be a finite number in [0, 1].
 * The input limits (src/shared/limits.ts) keep the coordinates that made the model answer NaN or a
 * lone 1.0 out, but no NaN or null may ever reach a client or a submission, whatever the reason:
 * callers turn a failed check into a typed error (the Worker's `non_finite_output`, submit's
 * errors.csv row with the fallback sign).
 *
 * Returns the index (within the row) of the first value that is not a probability, or -1.
 */
export function firstInvalidProbability(
  probabilities: Float32Array,
  start = 0,
  end = probabilities.length,
): number {
  for (let i = start; i < end; i++) {
    const p = probabilities[i]!;
    if (!(p >= 0 && p <= 1)) return i - start;
  }
  return -1;
}
