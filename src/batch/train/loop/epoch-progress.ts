import { MetricsAccumulator } from '../metrics/split-metrics.ts';
import type { TrainStepResult } from './train-step.ts';

const KEYS = {
  lossSum: 'epoch/loss_sum',
  samples: 'epoch/samples',
  top1: 'epoch/top1',
  top5: 'epoch/top5',
  top10: 'epoch/top10',
  gradNormSum: 'epoch/grad_norm_sum',
  steps: 'epoch/steps',
  seconds: 'epoch/train_seconds',
} as const;

/**
 * An epoch's training figures so far. A checkpoint taken mid-epoch stores the sums (exact JSON
 * doubles), so the resumed epoch reports the same metrics as one that was never interrupted.
 */
export class EpochProgress {
  readonly train: MetricsAccumulator;
  private gradNormSum = 0;
  private steps = 0;
  private trainSeconds = 0;

  constructor(train = new MetricsAccumulator()) {
    this.train = train;
  }

  static fromCheckpoint(metrics: Readonly<Record<string, number | null>>): EpochProgress {
    const get = (key: string): number => {
      const v = metrics[key];
      if (typeof v !== 'number') throw new Error(`mid-epoch checkpoint lacks ${key}`);
      return v;
    };
    const p = new EpochProgress(
      MetricsAccumulator.from({
        lossSum: get(KEYS.lossSum),
        samples: get(KEYS.samples),
        top1: get(KEYS.top1),
        top5: get(KEYS.top5),
        top10: get(KEYS.top10),
      }),
    );
    p.gradNormSum = get(KEYS.gradNormSum);
    p.steps = get(KEYS.steps);
    p.trainSeconds = get(KEYS.seconds);
    return p;
  }

  add(result: TrainStepResult, batchSize: number, seconds: number): void {
    this.train.addCounts(result.loss, batchSize, result.hits);
    this.gradNormSum += result.gradNorm;
    this.steps++;
    this.trainSeconds += seconds;
  }

  get meanGradNorm(): number {
    return this.gradNormSum / this.steps;
  }

  /** Seconds spent in training steps (batch gathering, noise, both sessions, metrics). */
  get seconds(): number {
    return this.trainSeconds;
  }

  toCheckpoint(): Record<string, number> {
    const s = this.train.sums();
    return {
      [KEYS.lossSum]: s.lossSum,
      [KEYS.samples]: s.samples,
      [KEYS.top1]: s.top1,
      [KEYS.top5]: s.top5,
      [KEYS.top10]: s.top10,
      [KEYS.gradNormSum]: this.gradNormSum,
      [KEYS.steps]: this.steps,
      [KEYS.seconds]: this.trainSeconds,
    };
  }
}
