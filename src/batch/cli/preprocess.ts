/**
 * npm run preprocess -- --data <kaggle-or-synth dir> --out <dir> [--workers N] [--shard-size N] [--limit N] [--sign-map file]
 */
import { availableParallelism } from 'node:os';
import { Command } from 'commander';
import { formatPreprocessSummary } from '../preprocess/format-preprocess-summary.ts';
import { runPreprocess } from '../preprocess/run-preprocess.ts';
import type { PreprocessEvent } from '../preprocess/run-preprocess.ts';
import { positiveInt } from './cli-args.ts';
import { RateBar } from './cli-rate-bar.ts';
import { abortOnInterrupt, reportResumableRun } from './cli-resumable-run.ts';

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

const signal = abortOnInterrupt('stopping, keeping finished shards');

const bar = new RateBar(
  {
    format:
      'preprocess [{bar}] {percentage}% | {value}/{total} files | {rate} files/s | ETA {eta_formatted} | rejected {rejected}',
    etaBuffer: 200,
    hideCursor: true,
  },
  1,
);
let settled = 0;
let rejected = 0;

const onEvent = (event: PreprocessEvent) => {
  if (event.type === 'planned') {
    if (event.reusedShards > 0) {
      process.stderr.write(
        `resuming: ${event.reusedShards}/${event.shards} shards (${event.reusedFiles} files) already done\n`,
      );
    }
    bar.start(event.filesToDo, { rejected: 0 });
  } else if (event.type === 'file') {
    settled++;
    if (!event.ok) rejected++;
    bar.update(settled, { rejected });
  }
};

await reportResumableRun(
  'preprocess',
  () =>
    runPreprocess({
      dataDir: opts.data,
      outDir: opts.out,
      workers: opts.workers,
      shardSize: opts.shardSize,
      limit: opts.limit ?? null,
      signMapPath: opts.signMap ?? null,
      signal,
      onEvent,
    }),
  () => bar.stop(),
  (summary) => formatPreprocessSummary(summary, `npm run preprocess -- ${process.argv.slice(2).join(' ')}`),
);
