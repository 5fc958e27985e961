import { join } from 'node:path';
import { CHECKPOINTS_DIR } from '../checkpoint/checkpoint-layout.ts';

/**
 * A training run directory:
 *   config.json              the resolved config (serializeConfig), what the run was built from
 *   run.json                 data directory, validation split, W&B run id (RunRecord)
 *   artifacts/               the ONNX graphs + initial checkpoint built for this run (train-split stats)
 *   checkpoints/step-N/      checkpoints, one per epoch and one per interruption; the last few are kept
 *   best/                    the checkpoint with the best validation accuracy, with evaluation.json
 *   initial-check.json       the untrained model's loss and softmax histogram on one batch
 *   metrics.jsonl            one EpochRecord per finished epoch
 *   events.out.tfevents.*    TensorBoard events, one file per process that trained the run
 *   report.html              self-contained report, rewritten after every epoch
 */
export const RUN_FILES = {
  config: 'config.json',
  record: 'run.json',
  artifacts: 'artifacts',
  checkpoints: CHECKPOINTS_DIR,
  best: 'best',
  bestEvaluation: 'evaluation.json',
  initialCheck: 'initial-check.json',
  metrics: 'metrics.jsonl',
  report: 'report.html',
} as const;

export function runPath(runDir: string, file: keyof typeof RUN_FILES): string {
  return join(runDir, RUN_FILES[file]);
}

export function bestEvaluationPath(runDir: string): string {
  return join(runDir, RUN_FILES.best, RUN_FILES.bestEvaluation);
}
