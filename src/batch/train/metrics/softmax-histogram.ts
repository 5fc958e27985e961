/**
 * The distribution of an untrained model's softmax outputs, shown against 1/classes (random guessing):
 * a healthy initialisation puts nearly all of them close to that line, while a spread over orders of
 * magnitude means some logits start far too large. Bins are even in log10(p), which shows both cases.
 */
export interface SoftmaxHistogram {
  readonly classes: number;
  /** 1 / classes. */
  readonly chance: number;
  readonly values: number;
  readonly min: number;
  readonly max: number;
  readonly mean: number;
  /** Share of outputs within a factor of 2 of chance. */
  readonly nearChance: number;
  /** Bin edges in probability (bins + 1 of them, log-spaced). */
  readonly edges: readonly number[];
  readonly counts: readonly number[];
}

export function softmaxHistogram(probabilities: Float32Array, classes: number, bins = 40): SoftmaxHistogram {
  const chance = 1 / classes;
  let min = Infinity;
  let max = -Infinity;
  let sum = 0;
  let near = 0;
  for (const p of probabilities) {
    if (p < min) min = p;
    if (p > max) max = p;
    sum += p;
    if (p >= chance / 2 && p <= chance * 2) near++;
  }
  // At least a decade either side of chance so the chance line sits inside the plot.
  const lo = Math.log10(Math.max(1e-12, Math.min(min, chance / 10)));
  const hi = Math.log10(Math.min(1, Math.max(max, chance * 10)));
  const width = (hi - lo) / bins;
  const counts = new Array<number>(bins).fill(0);
  for (const p of probabilities) {
    const at = Math.floor((Math.log10(Math.max(p, 1e-12)) - lo) / width);
    counts[Math.min(bins - 1, Math.max(0, at))]!++;
  }
  const n = probabilities.length;
  return {
    classes,
    chance,
    values: n,
    min,
    max,
    mean: sum / n,
    nearChance: near / n,
    edges: Array.from({ length: bins + 1 }, (_, i) => 10 ** (lo + i * width)),
    counts,
  };
}
