import type { TrainingObserver, TrainingOutcome, TrainingPlan } from '../../loop/training-observer.ts';
import { epochScalars } from '../../metrics/epoch-record.ts';
import type { EpochRecord } from '../../metrics/epoch-record.ts';
import { WandbClient } from './wandb-client.ts';
import type { WandbClientOptions, WandbRunInfo } from './wandb-client.ts';
import type { WandbSettings } from './wandb-settings.ts';

/**
 * Live W&B logging of a run: one history row per epoch at line (epoch - 1), so a resumed run overwrites
 * the rows a crashed one sent past its checkpoint. Never waits on the network except at the very end,
 * and then only up to a deadline.
 */
export class WandbLog implements TrainingObserver {
  readonly client: WandbClient;

  constructor(
    settings: WandbSettings,
    run: WandbRunInfo,
    private readonly log: (line: string) => void,
    options: WandbClientOptions & { readonly finishDeadlineMs?: number } = {},
  ) {
    this.client = new WandbClient(settings, run, { ...options, onWarning: (m) => log(m) });
    this.finishDeadlineMs = options.finishDeadlineMs ?? 15_000;
  }

  private readonly finishDeadlineMs: number;

  started(_plan: TrainingPlan): void {
    this.client.start();
  }

  epochDone(record: EpochRecord): void {
    this.client.log(record.epoch - 1, record.step, epochScalars(record));
  }

  async finished(outcome: TrainingOutcome): Promise<void> {
    const complete = await this.client.finish(outcome.status === 'complete' ? 0 : 1, this.finishDeadlineMs);
    const where = this.client.url ? ` (${this.client.url})` : '';
    this.log(
      complete
        ? `W&B: run synced${where}`
        : `W&B: not everything reached the server${where}; metrics.jsonl and the tfevents file have it all ` +
            '(`wandb sync --sync-tensorboard <run dir>` uploads them later)',
    );
  }
}
