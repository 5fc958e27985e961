import type { TrainingObserver, TrainingPlan } from '../loop/training-observer.ts';
import type { EpochRecord } from '../metrics/epoch-record.ts';
import { appendEpochRecord, truncateEpochRecords } from './metrics-jsonl.ts';

/** Keeps metrics.jsonl: a line per finished epoch; on resume, lines past the checkpoint are dropped first. */
export class MetricsLog implements TrainingObserver {
  constructor(private readonly path: string) {}

  started(plan: TrainingPlan): void {
    // A fresh run keeps nothing either; epoch 0 means "no epoch finished".
    truncateEpochRecords(this.path, (plan.resumedFrom?.epoch ?? 0) + 1);
  }

  epochDone(record: EpochRecord): void {
    appendEpochRecord(this.path, record);
  }
}
