import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { CheckpointContent } from '../checkpoint/write-checkpoint.ts';
import { writeCheckpoint } from '../checkpoint/write-checkpoint.ts';
import { classificationReport } from '../metrics/classification-report.ts';
import type { ClassificationReport } from '../metrics/classification-report.ts';
import { confusedPairs } from '../metrics/confused-pairs.ts';
import type { ConfusedPair } from '../metrics/confused-pairs.ts';
import type { SplitMetrics } from '../metrics/split-metrics.ts';
import { RUN_FILES } from '../run-dir/run-layout.ts';
import type { Evaluation } from './evaluate.ts';

/** best/evaluation.json: how the best model did on the validation signers, sign by sign. */
export interface BestEvaluation {
  readonly epoch: number;
  readonly step: number;
  readonly metrics: SplitMetrics;
  readonly signs: readonly string[];
  /** Non-zero cells [truth, predicted, count] of the confusion matrix. */
  readonly confusion: readonly (readonly [number, number, number])[];
  readonly report: ClassificationReport;
  readonly confusedPairs: readonly ConfusedPair[];
}

export const CONFUSED_PAIRS_KEPT = 30;

/** Writes best/: the checkpoint (atomically, see writeCheckpoint) and then its evaluation. */
export async function writeBestModel(
  runDir: string,
  content: CheckpointContent,
  evaluation: Evaluation,
  signs: readonly string[],
  epoch: number,
): Promise<BestEvaluation> {
  const dir = join(runDir, RUN_FILES.best);
  await mkdir(dir, { recursive: true });
  await writeCheckpoint(dir, content);
  const best: BestEvaluation = {
    epoch,
    step: content.step,
    metrics: evaluation.metrics,
    signs,
    confusion: evaluation.confusion.toSparse(),
    report: classificationReport(evaluation.confusion, signs),
    confusedPairs: confusedPairs(evaluation.confusion, signs, CONFUSED_PAIRS_KEPT),
  };
  const path = join(dir, RUN_FILES.bestEvaluation);
  await writeFile(`${path}.tmp`, `${JSON.stringify(best)}\n`);
  await rename(`${path}.tmp`, path);
  return best;
}
