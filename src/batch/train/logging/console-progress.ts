import cliProgress from 'cli-progress';
import type { InitialCheck } from '../loop/initial-check.ts';
import type {
  CheckpointSaved,
  EpochStart,
  StepDone,
  TrainingObserver,
  TrainingOutcome,
  TrainingPlan,
} from '../loop/training-observer.ts';
import type { EpochRecord } from '../metrics/epoch-record.ts';
import type { SplitMetrics } from '../metrics/split-metrics.ts';

export interface ConsoleProgressOptions {
  /** Where the live bar goes (a TTY stream; without one only the summary lines are written). */
  readonly barStream: NodeJS.WriteStream;
  /** One finished line at a time: start, initial check, epoch summaries, checkpoints. */
  readonly log: (line: string) => void;
  /** Shown in the resume hint, e.g. the --out argument. */
  readonly runDir: string;
}

/**
 * The terminal view of a run: a bar per epoch with steps/s, samples/s, ETA and the running loss and
 * accuracy (cli-progress; drawn only on a TTY), and a summary line per epoch for logs and scrollback.
 */
export class ConsoleProgress implements TrainingObserver {
  private bar: cliProgress.SingleBar | null = null;
  private epochStartedAt = 0;
  private stepsThisProcess = 0;
  private samplesThisProcess = 0;

  constructor(private readonly o: ConsoleProgressOptions) {}

  started(plan: TrainingPlan): void {
    const fmt = (n: number) => n.toLocaleString('en-US');
    this.o.log(
      `training ${fmt(plan.trainClips)} clips` +
        (plan.valClips > 0
          ? `, validating on ${fmt(plan.valClips)} clips of held-out signers`
          : ', no validation') +
        `: ${plan.epochs} epochs of ${plan.stepsPerEpoch} steps x ${plan.batchSize} clips, ${fmt(plan.parameterCount)} parameters`,
    );
    if (plan.emptySigns.length > 0) {
      this.o.log(`  ${plan.emptySigns.length} signs have no training clips and are left out of the batches`);
    }
    if (plan.resumedFrom) {
      const r = plan.resumedFrom;
      this.o.log(
        `resuming from step ${r.step} (epoch ${r.epoch + 1}, ${r.epochStep}/${plan.stepsPerEpoch} steps done) in ${r.dir}`,
      );
    }
  }

  initialCheck(check: InitialCheck): void {
    const h = check.histogram;
    this.o.log(
      `initial check on ${check.batch} clips: no NaN; loss ${check.loss.toFixed(3)} (uniform ${check.uniformLoss.toFixed(3)}), ` +
        `softmax outputs ${h.min.toExponential(2)}..${h.max.toExponential(2)} around 1/${h.classes} = ${h.chance.toExponential(2)} ` +
        `(${(100 * h.nearChance).toFixed(1)}% within 2x)`,
    );
  }

  epochStarted(info: EpochStart): void {
    this.epochStartedAt = performance.now();
    this.stepsThisProcess = 0;
    this.samplesThisProcess = 0;
    if (!this.o.barStream.isTTY) return;
    this.bar = new cliProgress.SingleBar(
      {
        format:
          `epoch ${info.epoch}/${info.epochs} [{bar}] {value}/{total} | {stepsPerSecond} steps/s | ` +
          '{samplesPerSecond} samples/s | loss {loss} acc {accuracy} | ETA {eta_formatted}',
        stream: this.o.barStream,
        etaBuffer: 20,
        hideCursor: true,
        clearOnComplete: true,
      },
      cliProgress.Presets.shades_classic,
    );
    this.bar.start(info.stepsPerEpoch, info.firstStep, {
      stepsPerSecond: '-',
      samplesPerSecond: '-',
      loss: '-',
      accuracy: '-',
    });
  }

  stepDone(info: StepDone): void {
    this.stepsThisProcess++;
    this.samplesThisProcess += info.batchSize;
    const seconds = (performance.now() - this.epochStartedAt) / 1000;
    this.bar?.update(info.epochStep, {
      stepsPerSecond: (this.stepsThisProcess / seconds).toFixed(2),
      samplesPerSecond: (this.samplesThisProcess / seconds).toFixed(0),
      loss: info.runningLoss.toFixed(4),
      accuracy: info.runningAccuracy.toFixed(4),
    });
  }

  validationStarted(clips: number): void {
    this.stopBar();
    if (!this.o.barStream.isTTY) return;
    this.bar = new cliProgress.SingleBar(
      {
        format: 'validation [{bar}] {value}/{total} clips | ETA {eta_formatted}',
        stream: this.o.barStream,
        hideCursor: true,
        clearOnComplete: true,
      },
      cliProgress.Presets.shades_classic,
    );
    this.bar.start(clips, 0);
  }

  validationProgress(done: number): void {
    this.bar?.update(done);
  }

  epochDone(record: EpochRecord, _evaluation: unknown, isBest: boolean): void {
    this.stopBar();
    const split = (name: string, m: SplitMetrics) =>
      `${name} loss ${m.loss.toFixed(4)} acc ${m.accuracy.toFixed(4)} top5 ${m.top5.toFixed(4)} top10 ${m.top10.toFixed(4)}`;
    this.o.log(
      `epoch ${record.epoch}/${record.epochs} | ${split('train', record.train)}` +
        (record.val ? ` | ${split('val', record.val)}` : '') +
        ` | lr ${record.learningRate.toExponential(2)} wd ${record.weightDecay.toExponential(2)}` +
        ` | ${record.samplesPerSecond.toFixed(1)} samples/s, ${record.trainSeconds.toFixed(1)} s` +
        (record.val ? ` + ${record.valSeconds.toFixed(1)} s val` : '') +
        (record.mixedPrecision
          ? ` | fp16 loss scale ${record.mixedPrecision.lossScale}, ${record.mixedPrecision.skippedSteps} updates dropped`
          : '') +
        (isBest ? ' | best' : ''),
    );
  }

  checkpointSaved(info: CheckpointSaved): void {
    if (info.reason === 'interrupt') {
      this.stopBar();
      this.o.log(`interrupted: saved step ${info.step} to ${info.dir}`);
      this.o.log(`continue with: npm run train -- --resume ${this.o.runDir}`);
    }
  }

  finished(outcome: TrainingOutcome): void {
    this.stopBar();
    if (outcome.status !== 'complete') return;
    const best = outcome.best
      ? `best val accuracy ${outcome.best.valAccuracy.toFixed(4)} at epoch ${outcome.best.epoch}`
      : 'no validation';
    this.o.log(`done: ${outcome.step} steps, ${best}`);
  }

  private stopBar(): void {
    this.bar?.stop();
    this.bar = null;
  }
}
