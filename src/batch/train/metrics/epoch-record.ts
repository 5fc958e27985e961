import type { LandmarkWeights } from './landmark-weights.ts';
import type { SplitMetrics } from './split-metrics.ts';

/**
 * One finished epoch: a line of metrics.jsonl, and what the report, TensorBoard and W&B show. `epoch` counts
 * from 1 (the epoch just finished); `step` is the number of optimizer updates done after it.
 */
export interface EpochRecord {
  readonly epoch: number;
  readonly epochs: number;
  readonly step: number;
  readonly learningRate: number;
  readonly weightDecay: number;
  readonly train: SplitMetrics;
  /** null with --val none. */
  readonly val: SplitMetrics | null;
  /** Mean global gradient norm over the epoch's steps (before clipping). */
  readonly gradNorm: number;
  readonly landmarkWeights: LandmarkWeights | null;
  /** Mixed-precision runs only: the loss scale after the epoch, and the updates dropped for overflow. */
  readonly mixedPrecision?: { readonly lossScale: number; readonly skippedSteps: number };
  /** Training steps only (validation and checkpointing excluded), so it measures the step itself. */
  readonly trainSeconds: number;
  readonly valSeconds: number;
  readonly samplesPerSecond: number;
  readonly time: string;
}

/** The record as flat scalar tags (train/loss, val/top5, ...), the shape TensorBoard and W&B want. */
export function epochScalars(r: EpochRecord): Record<string, number> {
  const out: Record<string, number> = {
    epoch: r.epoch,
    'train/loss': r.train.loss,
    'train/accuracy': r.train.accuracy,
    'train/top5_accuracy': r.train.top5,
    'train/top10_accuracy': r.train.top10,
    'schedule/learning_rate': r.learningRate,
    'schedule/weight_decay': r.weightDecay,
    'train/grad_norm': r.gradNorm,
    'speed/samples_per_second': r.samplesPerSecond,
    'speed/epoch_train_seconds': r.trainSeconds,
  };
  if (r.val) {
    out['val/loss'] = r.val.loss;
    out['val/accuracy'] = r.val.accuracy;
    out['val/top5_accuracy'] = r.val.top5;
    out['val/top10_accuracy'] = r.val.top10;
  }
  if (r.mixedPrecision) {
    out['train/loss_scale'] = r.mixedPrecision.lossScale;
    out['train/skipped_steps'] = r.mixedPrecision.skippedSteps;
  }
  if (r.landmarkWeights) {
    for (const [group, pct] of Object.entries(r.landmarkWeights)) out[`landmark_weights/${group}`] = pct;
  }
  return out;
}
