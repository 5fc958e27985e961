import type { InitialCheck } from '../loop/initial-check.ts';
import type { StepDone, TrainingObserver, TrainingPlan } from '../loop/training-observer.ts';
import { epochScalars } from '../metrics/epoch-record.ts';
import type { EpochRecord } from '../metrics/epoch-record.ts';
import { TfEventsWriter } from './tfevents/tfevents-writer.ts';

/**
 * TensorBoard events for a run: per step the batch loss and gradient norm, per epoch every EpochRecord
 * scalar, and the initial softmax histogram. The x axis is the optimizer step throughout.
 */
export class TensorBoardLog implements TrainingObserver {
  private writer: TfEventsWriter | null = null;

  constructor(private readonly dir: string) {}

  started(plan: TrainingPlan): void {
    this.writer = new TfEventsWriter(this.dir);
    if (plan.resumedFrom) this.writer.sessionStart(plan.resumedFrom.step);
  }

  initialCheck(check: InitialCheck): void {
    const h = check.histogram;
    const centers = h.counts.map((_, i) => Math.sqrt(h.edges[i]! * h.edges[i + 1]!));
    this.writer?.histogram(0, 'init/softmax_outputs', {
      min: h.min,
      max: h.max,
      num: h.values,
      sum: h.mean * h.values,
      sumSquares: h.counts.reduce((s, c, i) => s + c * centers[i]! ** 2, 0),
      bucketLimits: h.edges.slice(1),
      bucketCounts: h.counts,
    });
    this.writer?.scalars(0, { 'init/loss': check.loss, 'init/uniform_loss': check.uniformLoss });
  }

  stepDone(info: StepDone): void {
    this.writer?.scalars(info.step, { 'train/step_loss': info.loss, 'train/step_grad_norm': info.gradNorm });
  }

  epochDone(record: EpochRecord): void {
    this.writer?.scalars(record.step, epochScalars(record));
  }

  finished(): void {
    this.writer?.close();
    this.writer = null;
  }
}
