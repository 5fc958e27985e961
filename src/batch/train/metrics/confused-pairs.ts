import type { ConfusionMatrix } from './confusion-matrix.ts';

export interface ConfusedPair {
  readonly truth: string;
  readonly predicted: string;
  /** Clips of `truth` predicted as `predicted`. */
  readonly count: number;
  /** count / clips of `truth`. */
  readonly rate: number;
}

/** The off-diagonal cells with the most clips, most first (ties by rate, then by names for stability). */
export function confusedPairs(
  matrix: ConfusionMatrix,
  signs: readonly string[],
  limit: number,
): ConfusedPair[] {
  const k = matrix.classes;
  const support = new Float64Array(k);
  for (let t = 0; t < k; t++) for (let p = 0; p < k; p++) support[t]! += matrix.at(t, p);
  const pairs: ConfusedPair[] = [];
  for (let t = 0; t < k; t++) {
    for (let p = 0; p < k; p++) {
      const count = matrix.at(t, p);
      if (t === p || count === 0) continue;
      pairs.push({ truth: signs[t]!, predicted: signs[p]!, count, rate: count / support[t]! });
    }
  }
  pairs.sort(
    (a, b) =>
      b.count - a.count ||
      b.rate - a.rate ||
      a.truth.localeCompare(b.truth) ||
      a.predicted.localeCompare(b.predicted),
  );
  return pairs.slice(0, limit);
}
