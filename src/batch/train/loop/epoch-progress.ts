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
  skipped: 'epoch/skipped_steps',
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
  private skipped = 0;
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
    // Checkpoints from before mixed precision have no skipped steps.
    const skipped = metrics[KEYS.skipped];
    p.skipped = typeof skipped === 'number' ? skipped : 0;
    p.trainSeconds = get(KEYS.seconds);
    return p;
  }

  add(result: TrainStepResult, batchSize: number, seconds: number): void {
    this.train.addCounts(result.loss, batchSize, result.hits);
    this.steps++;
    if (result.applied) this.gradNormSum += result.gradNorm;
    else this.skipped++;
    this.trainSeconds += seconds;
  }

  /** Over the updates applied (a mixed-precision overflow has no finite norm). */
  get meanGradNorm(): number {
    return this.gradNormSum / (this.steps - this.skipped);
  }

  /** Mixed-precision steps whose update was dropped for a float16 overflow. */
  get skippedSteps(): number {
    return this.skipped;
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
      [KEYS.skipped]: this.skipped,
      [KEYS.seconds]: this.trainSeconds,
    };
  }
}
