import type { ClipOutcome } from './clip-outcome.ts';

export interface SignReport {
  readonly sign: string;
  readonly precision: number;
  readonly recall: number;
  readonly f1: number;
  /** Labelled clips of this sign. */
  readonly support: number;
  /** Labelled clips predicted as this sign. */
  readonly predicted: number;
}

export interface Evaluation {
  /** Clips with a label (the others are not scored). */
  readonly clips: number;
  readonly accuracy: number;
  readonly top5: number;
  readonly macroF1: number;
  /** Labelled clips that got the fallback because they could not be read. */
  readonly failed: number;
  /** Labels the model does not know (always wrong). */
  readonly unknownLabels: number;
  /** Signs that occur as a label or a prediction, in the model's order (unknown labels last). */
  readonly perSign: readonly SignReport[];
}

/**
 * Scores the submission as Kaggle would (a failed clip counts with its fallback prediction), plus
 * top-5 and per-sign precision / recall / F1 (0 where undefined, as scikit-learn's zero_division=0).
 */
export function evaluate(
  outcomes: readonly ClipOutcome[],
  labels: readonly (string | null)[],
  signs: readonly string[],
  fallbackSign: string,
): Evaluation {
  const indexOf = new Map(signs.map((s, i) => [s, i]));
  const fallback = indexOf.get(fallbackSign)!;
  const support = new Map<string, number>();
  const predicted = new Map<string, number>();
  const correct = new Map<string, number>();
  const bump = (m: Map<string, number>, key: string) => m.set(key, (m.get(key) ?? 0) + 1);
  let clips = 0;
  let hits = 0;
  let top5 = 0;
  let failed = 0;
  let unknownLabels = 0;
  outcomes.forEach((outcome, i) => {
    const label = labels[i];
    if (label === null || label === undefined) return;
    clips++;
    if (!outcome.ok) failed++;
    const labelIndex = indexOf.get(label);
    if (labelIndex === undefined) unknownLabels++;
    const top = outcome.ok ? outcome.top : [fallback];
    const prediction = signs[top[0]!]!;
    bump(support, label);
    bump(predicted, prediction);
    if (prediction === label) {
      hits++;
      bump(correct, label);
    }
    if (labelIndex !== undefined && top.slice(0, 5).includes(labelIndex)) top5++;
  });
  const names = [
    ...signs.filter((s) => support.has(s) || predicted.has(s)),
    ...[...support.keys()].filter((s) => !indexOf.has(s)).sort(),
  ];
  const perSign = names.map((sign): SignReport => {
    const tp = correct.get(sign) ?? 0;
    const n = support.get(sign) ?? 0;
    const p = predicted.get(sign) ?? 0;
    const precision = p === 0 ? 0 : tp / p;
    const recall = n === 0 ? 0 : tp / n;
    const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
    return { sign, precision, recall, f1, support: n, predicted: p };
  });
  const supported = perSign.filter((r) => r.support > 0);
  return {
    clips,
    accuracy: clips === 0 ? 0 : hits / clips,
    top5: clips === 0 ? 0 : top5 / clips,
    macroF1: supported.length === 0 ? 0 : supported.reduce((s, r) => s + r.f1, 0) / supported.length,
    failed,
    unknownLabels,
    perSign,
  };
}
