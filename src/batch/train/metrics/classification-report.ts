import type { ConfusionMatrix } from './confusion-matrix.ts';

/** One sign's line of the report, as scikit-learn's classification_report defines the figures. */
export interface SignScores {
  readonly sign: string;
  readonly label: number;
  /** Of the clips predicted as this sign, the share that were it; 0 when it was never predicted. */
  readonly precision: number;
  /** Of this sign's clips, the share predicted as it; 0 when it has no clips. */
  readonly recall: number;
  readonly f1: number;
  /** Clips of this sign in the evaluation. */
  readonly support: number;
}

export interface ClassificationReport {
  /** Signs with support, sorted by F1 descending (then by name, so the order is stable). */
  readonly signs: readonly SignScores[];
  readonly accuracy: number;
  readonly macro: { readonly precision: number; readonly recall: number; readonly f1: number };
  readonly weighted: { readonly precision: number; readonly recall: number; readonly f1: number };
  /** Signs that had no clips in the evaluation (left out of the averages). */
  readonly unsupported: readonly string[];
}

export function classificationReport(
  matrix: ConfusionMatrix,
  signs: readonly string[],
): ClassificationReport {
  const k = matrix.classes;
  if (signs.length !== k) throw new RangeError(`${signs.length} sign names for ${k} classes`);
  const rows: SignScores[] = [];
  const unsupported: string[] = [];
  let correct = 0;
  let total = 0;
  for (let c = 0; c < k; c++) {
    let support = 0;
    let predicted = 0;
    for (let j = 0; j < k; j++) {
      support += matrix.at(c, j);
      predicted += matrix.at(j, c);
    }
    const hits = matrix.at(c, c);
    correct += hits;
    total += support;
    if (support === 0) {
      unsupported.push(signs[c]!);
      continue;
    }
    const precision = predicted === 0 ? 0 : hits / predicted;
    const recall = hits / support;
    const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
    rows.push({ sign: signs[c]!, label: c, precision, recall, f1, support });
  }
  rows.sort((a, b) => b.f1 - a.f1 || (a.sign < b.sign ? -1 : a.sign > b.sign ? 1 : 0));
  const mean = (pick: (r: SignScores) => number, weight: (r: SignScores) => number): number => {
    const w = rows.reduce((s, r) => s + weight(r), 0);
    return w === 0 ? 0 : rows.reduce((s, r) => s + pick(r) * weight(r), 0) / w;
  };
  const averages = (weight: (r: SignScores) => number) => ({
    precision: mean((r) => r.precision, weight),
    recall: mean((r) => r.recall, weight),
    f1: mean((r) => r.f1, weight),
  });
  return {
    signs: rows,
    accuracy: total === 0 ? 0 : correct / total,
    macro: averages(() => 1),
    weighted: averages((r) => r.support),
    unsupported,
  };
}
