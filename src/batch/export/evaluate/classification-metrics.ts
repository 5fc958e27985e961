import type { Predictions } from './predictions.ts';

export interface ClassificationMetrics {
  readonly clips: number;
  readonly accuracy: number;
  readonly top5: number;
  readonly top10: number;
}

export function classificationMetrics(p: Predictions): ClassificationMetrics {
  const n = p.labelRank.length;
  let top1 = 0;
  let top5 = 0;
  let top10 = 0;
  for (const rank of p.labelRank) {
    if (rank < 1) top1++;
    if (rank < 5) top5++;
    if (rank < 10) top10++;
  }
  const rate = (k: number): number => (n === 0 ? 0 : k / n);
  return { clips: n, accuracy: rate(top1), top5: rate(top5), top10: rate(top10) };
}

/** Fraction of clips on which two models' arg-max agree. */
export function top1Agreement(a: Predictions, b: Predictions): number {
  const n = a.top1.length;
  if (b.top1.length !== n) throw new Error(`predictions for ${n} and ${b.top1.length} clips`);
  let same = 0;
  for (let i = 0; i < n; i++) if (a.top1[i] === b.top1[i]) same++;
  return n === 0 ? 1 : same / n;
}

/**
 * Mean and largest total variation distance (half the L1 distance) between two models' probability
 * vectors over the same clips: how much probability mass quantization moved. A continuous measure, so
 * it tells policies apart where top-1 agreement, a count of a few clips, cannot.
 */
export function probabilityDrift(a: Predictions, b: Predictions): { mean: number; max: number } {
  const pa = a.probabilities;
  const pb = b.probabilities;
  if (pa === undefined || pb === undefined)
    throw new Error('probabilityDrift needs predict(..., { keepProbabilities: true })');
  if (pa.length !== pb.length) throw new Error(`${pa.length} and ${pb.length} probabilities`);
  const n = a.top1.length;
  let sum = 0;
  let max = 0;
  for (let i = 0; i < n; i++) {
    let tv = 0;
    for (let c = i * a.classes; c < (i + 1) * a.classes; c++) tv += Math.abs(pa[c]! - pb[c]!);
    tv /= 2;
    sum += tv;
    max = Math.max(max, tv);
  }
  return { mean: n === 0 ? 0 : sum / n, max };
}
