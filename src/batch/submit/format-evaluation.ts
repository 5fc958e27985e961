import type { Evaluation } from './evaluate-submission.ts';

const pct = (x: number) => `${(100 * x).toFixed(2)}%`;

/** The evaluation as text: headline figures, then one line per sign. */
export function formatEvaluation(e: Evaluation): string {
  const width = Math.max(4, ...e.perSign.map((r) => r.sign.length));
  const lines = [
    `evaluation on ${e.clips} labelled clips (${e.failed} scored with the fallback, ${e.unknownLabels} with a label the model does not know)`,
    `  accuracy ${pct(e.accuracy)}   top-5 ${pct(e.top5)}   macro F1 ${e.macroF1.toFixed(4)} (over signs with support)`,
    '',
    `  ${'sign'.padEnd(width)}  precision  recall     f1  support  predicted`,
    ...e.perSign.map(
      (r) =>
        `  ${r.sign.padEnd(width)}  ${r.precision.toFixed(4).padStart(9)}  ${r.recall.toFixed(4).padStart(6)}  ` +
        `${r.f1.toFixed(4).padStart(5)}  ${String(r.support).padStart(7)}  ${String(r.predicted).padStart(9)}`,
    ),
  ];
  return lines.join('\n');
}
