/**
 * npm run preprocess -- --data <kaggle-or-synth dir> --out <dir> [--workers N] [--shard-size N] [--limit N] [--sign-map file]
 */
import { availableParallelism } from 'node:os';
import cliProgress from 'cli-progress';
import { Command, InvalidArgumentError } from 'commander';
import { formatSummary } from '../preprocess/format-summary.ts';
import { runPreprocess } from '../preprocess/run-preprocess.ts';
import type { PreprocessEvent } from '../preprocess/run-preprocess.ts';

const EXIT_INTERRUPTED = 130;

function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < 1) throw new InvalidArgumentError('expected a positive integer');
  return n;
}

const program = new Command('preprocess')
  .description('Preprocess every clip listed in train.csv into Arrow shards, stats.json and rejects.csv')
  .requiredOption('--data <dir>', 'dataset directory (train.csv, sign map, train_landmark_files/)')
  .requiredOption('--out <dir>', 'output directory (re-running resumes into it)')
  .option('--workers <n>', 'worker threads', positiveInt, availableParallelism())
  .option('--shard-size <n>', 'files per shard (the unit of resumption)', positiveInt, 1000)
  .option('--limit <n>', 'only the first N rows of train.csv', positiveInt)
  .option('--sign-map <file>', 'sign map JSON (default: <data>/sign_to_prediction_index_map.json)')
  .parse();

const opts = program.opts<{
  data: string;
  out: string;
  workers: number;
  shardSize: number;
  limit?: number;
  signMap?: string;
}>();

const controller = new AbortController();
const onSignal = (signal: NodeJS.Signals) => {
  if (controller.signal.aborted) process.exit(EXIT_INTERRUPTED);
  process.stderr.write(`\n${signal}: stopping, keeping finished shards (again to quit at once)\n`);
  controller.abort();
};
process.on('SIGINT', onSignal);
process.on('SIGTERM', onSignal);

const bar = new cliProgress.SingleBar(
  {
    format:
      'preprocess [{bar}] {percentage}% | {value}/{total} files | {rate} files/s | ETA {eta_formatted} | rejected {rejected}',
    etaBuffer: 200,
    hideCursor: true,
  },
  cliProgress.Presets.shades_classic,
);
let barStarted = 0;
let settled = 0;
let rejected = 0;

const onEvent = (event: PreprocessEvent) => {
  if (event.type === 'planned') {
    if (event.reusedShards > 0) {
      process.stderr.write(
        `resuming: ${event.reusedShards}/${event.shards} shards (${event.reusedFiles} files) already done\n`,
      );
    }
    barStarted = performance.now();
    bar.start(event.filesToDo, 0, { rate: '0.0', rejected: 0 });
  } else if (event.type === 'file') {
    settled++;
    if (!event.ok) rejected++;
    const seconds = (performance.now() - barStarted) / 1000;
    bar.update(settled, { rate: (seconds > 0 ? settled / seconds : 0).toFixed(1), rejected });
  }
};

try {
  const summary = await runPreprocess({
    dataDir: opts.data,
    outDir: opts.out,
    workers: opts.workers,
    shardSize: opts.shardSize,
    limit: opts.limit ?? null,
    signMapPath: opts.signMap ?? null,
    signal: controller.signal,
    onEvent,
  });
  bar.stop();
  const resume = `npm run preprocess -- ${process.argv.slice(2).join(' ')}`;
  process.stdout.write(`${formatSummary(summary, resume)}\n`);
  process.exitCode = summary.status === 'complete' ? 0 : EXIT_INTERRUPTED;
} catch (err) {
  bar.stop();
  process.stderr.write(`preprocess failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
}
