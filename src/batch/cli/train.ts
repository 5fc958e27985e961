/**
 * npm run train -- --data <preprocessed dir> [--preset baseline|demo|<path>] [--set key=value ...]
 *   [--val participants|none] [--out runs/<name>] [--resume <run dir>] [--ep cpu|webgpu] [--threads N]
 *   [--wandb] [--keep-checkpoints N] [--staging worker|inline]
 *
 * Trains the model through onnxruntime-node with artifacts built for the run (see
 * src/batch/train/run-dir/run-layout.ts for what the run directory holds). Ctrl-C saves a checkpoint
 * of the exact step and exits with 130; --resume continues from the newest checkpoint.
 */
import { basename, join } from 'node:path';
import { Command, InvalidArgumentError, Option } from 'commander';
import { openDataset } from '../data/dataset/open-dataset.ts';
import type { SignCastConfig } from '../model/config/config-schema.ts';
import { resolveConfig } from '../model/config/resolve-config.ts';
import { serializeConfig } from '../model/config/serialize-config.ts';
import { gpuAdapterName } from '../gpu-check/check-gpu.ts';
import { checkExecutionProvider, checkFloat16, EXECUTION_PROVIDERS } from '../onnx/ort-session.ts';
import type { ExecutionProvider } from '../onnx/ort-session.ts';
import { BATCH_STAGINGS } from '../train/loop/step-batches.ts';
import type { BatchStaging } from '../train/loop/step-batches.ts';
import { ConsoleProgress } from '../train/logging/console-progress.ts';
import { MetricsLog } from '../train/logging/metrics-log.ts';
import { TensorBoardLog } from '../train/logging/tensorboard-log.ts';
import { WandbLog } from '../train/logging/wandb/wandb-log.ts';
import { decideWandb } from '../train/logging/wandb/wandb-settings.ts';
import { runTraining } from '../train/loop/training-loop.ts';
import type { TrainingObserver, TrainingOutcome } from '../train/loop/training-observer.ts';
import { ReportLog } from '../train/report/report-log.ts';
import { createRun, openRun, recordedDataDir } from '../train/run-dir/prepare-run.ts';
import type { PreparedRun } from '../train/run-dir/prepare-run.ts';
import { runPath } from '../train/run-dir/run-layout.ts';
import type { ValidationMode } from '../train/run-dir/run-record.ts';
import { positiveInt } from './cli-args.ts';
import { abortOnInterrupt, reportResumableRun } from './cli-resumable-run.ts';

interface CliOptions {
  data?: string;
  preset: string;
  set: string[];
  val: ValidationMode;
  out?: string;
  resume?: string;
  ep: ExecutionProvider;
  threads?: number;
  wandb?: boolean;
  keepCheckpoints: number;
  staging?: BatchStaging;
}

function timestamp(now = new Date()): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${now.getFullYear()}${p(now.getMonth() + 1)}${p(now.getDate())}-${p(now.getHours())}${p(now.getMinutes())}${p(now.getSeconds())}`;
}

const log = (line: string): void => {
  process.stdout.write(`${line}\n`);
};

/** Mixed precision needs float16 kernels: say so before anything is built or written. */
async function checkPrecision(config: SignCastConfig, o: CliOptions): Promise<void> {
  if (config.train.precision === 'fp16')
    await checkFloat16({ ep: o.ep, ...(o.threads ? { threads: o.threads } : {}) });
}

async function prepare(o: CliOptions): Promise<PreparedRun> {
  if (o.resume) {
    const data = o.data ?? recordedDataDir(o.resume);
    const run = openRun(o.resume, openDataset(data));
    await checkPrecision(run.config, o);
    return run;
  }
  if (!o.data) throw new InvalidArgumentError('--data <preprocessed dir> is required (or --resume <run>)');
  const config = resolveConfig(o.preset, o.set);
  await checkPrecision(config, o);
  const runDir = o.out ?? join('runs', `${basename(o.preset, '.json')}-${timestamp()}`);
  const dataset = openDataset(o.data);
  log(`building the training artifacts into ${join(runDir, 'artifacts')} ...`);
  const started = performance.now();
  const run = await createRun({ runDir, config, preset: o.preset, overrides: o.set, dataset, val: o.val });
  log(
    `  ${run.manifest.parameterCount.toLocaleString('en-US')} parameters, ${((performance.now() - started) / 1000).toFixed(1)} s`,
  );
  return run;
}

async function main(argv: readonly string[], signal: AbortSignal): Promise<TrainingOutcome> {
  const program = new Command()
    .name('train')
    .description('Train the sign classifier on a preprocessed dataset through onnxruntime-node.')
    .option('--data <dir>', "preprocessed dataset (npm run preprocess); with --resume, defaults to the run's")
    .option('--preset <name|path>', 'config preset: baseline, demo or a JSON file', 'baseline')
    .option(
      '--set <key=value>',
      'override a config key (repeatable)',
      (v: string, acc: string[]) => [...acc, v],
      [],
    )
    .addOption(
      new Option('--val <mode>', 'validation: hold out 10% of the signers, or none')
        .choices(['participants', 'none'])
        .default('participants'),
    )
    .option('--out <dir>', 'run directory (default runs/<preset>-<time>)')
    .option('--resume <run>', 'continue a run from its newest checkpoint')
    .addOption(
      new Option('--ep <provider>', 'onnxruntime execution provider')
        .choices([...EXECUTION_PROVIDERS])
        .default('cpu'),
    )
    .option('--threads <n>', 'intra-op threads (default: one per core)', positiveInt)
    .option('--wandb', 'log to Weights & Biases (needs WANDB_API_KEY; on by default when it is set)')
    .option('--keep-checkpoints <n>', 'epoch checkpoints to keep', positiveInt, 3)
    .addOption(
      new Option(
        '--staging <where>',
        'where training batches are packed: worker (the next one, while the step runs; default with --ep webgpu) or inline (default with --ep cpu)',
      ).choices([...BATCH_STAGINGS]),
    )
    .parse(argv, { from: 'node' });
  const o = program.opts<CliOptions>();
  if (o.resume && (o.set.length > 0 || program.getOptionValueSource('preset') === 'cli' || o.out)) {
    throw new InvalidArgumentError(
      '--resume continues a run as it was configured: drop --preset, --set and --out',
    );
  }

  const threads = o.threads ?? undefined;
  await checkExecutionProvider({ preset: 'training', ep: o.ep, ...(threads ? { threads } : {}) });
  const run = await prepare(o);
  log(`run directory: ${run.runDir} (ep ${o.ep}${threads ? `, ${threads} threads` : ''})`);
  if (o.ep === 'webgpu') log(`GPU: ${gpuAdapterName()}; the step's state stays on it between steps`);

  const observers: TrainingObserver[] = [
    new ConsoleProgress({ barStream: process.stderr, log, runDir: o.resume ?? run.runDir }),
    new MetricsLog(runPath(run.runDir, 'metrics')),
    new TensorBoardLog(run.runDir),
  ];
  const wandb = decideWandb(process.env, o.wandb === true);
  if (wandb.enabled) {
    observers.push(
      new WandbLog(
        wandb.settings,
        {
          runId: run.record.wandbRunId,
          displayName: basename(run.runDir),
          config: { ...JSON.parse(serializeConfig(run.config)), data: run.record.data, val: run.record.val },
        },
        log,
      ),
    );
    log(`W&B: logging to project ${wandb.settings.project} as run ${run.record.wandbRunId}`);
  } else if (wandb.reason) {
    log(wandb.reason);
  }
  observers.push(new ReportLog(run.runDir, log));

  return runTraining({
    runDir: run.runDir,
    manifest: run.manifest,
    artifactsDir: run.artifactsDir,
    dataset: run.dataset,
    trainRows: run.trainRows,
    valRows: run.valRows,
    session: { ep: o.ep, ...(threads ? { threads } : {}) },
    observers,
    signal,
    keepCheckpoints: o.keepCheckpoints,
    ...(o.staging ? { staging: o.staging } : {}),
  });
}

const signal = abortOnInterrupt('saving a checkpoint after the current step');
// ConsoleProgress has already said how the run ended (and how to resume it).
await reportResumableRun(
  'train',
  () => main(process.argv, signal),
  () => undefined,
);
