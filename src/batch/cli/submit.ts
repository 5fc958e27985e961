/**
 * npm run submit -- --data <dir> --model models/<name> --out submission.csv
 *   [--csv <file>] [--format csv|parquet] [--top K] [--probs] [--precision auto|int8|float32]
 *   [--batch N] [--workers N] [--threads N] [--evaluate [--labels <csv>]] [--restart] [--keep-journal]
 */
import { availableParallelism } from 'node:os';
import { Command, Option } from 'commander';
import type { VariantPreference } from '../../shared/bundle/select-variant.ts';
import type { SubmissionFormat } from '../submit/encode-submission.ts';
import { formatEvaluation } from '../submit/format-evaluation.ts';
import { formatSubmitSummary } from '../submit/format-submit-summary.ts';
import { runSubmit, type SubmitEvent } from '../submit/run-submit.ts';
import { defaultThreadSplit } from '../submit/thread-split.ts';
import { positiveInt, variantPreference } from './cli-args.ts';
import { RateBar } from './cli-rate-bar.ts';
import { abortOnInterrupt, reportResumableRun } from './cli-resumable-run.ts';

const split = defaultThreadSplit(availableParallelism());
const program = new Command('submit')
  .description('Score every listed clip with a model bundle and write a Kaggle submission (resumable)')
  .requiredOption(
    '--data <dir>',
    'data directory: test.csv or train.csv and the files they list, or parquet files',
  )
  .option('--model <dir>', 'model bundle directory (models/<name>)', 'models/demo')
  .requiredOption('--out <file>', 'submission file; <out>.journal beside it makes the run resumable')
  .option('--csv <file>', 'listing CSV (path, sequence_id[, participant_id][, sign]); default: auto-detect')
  .addOption(
    new Option(
      '--format <format>',
      'output format (default: parquet for a .parquet --out, else csv)',
    ).choices(['csv', 'parquet']),
  )
  .option('--top <k>', 'signs per clip: sign, sign_2 ... sign_<k>', positiveInt, 1)
  .option('--probs', 'add the probability after each sign')
  .option(
    '--precision <variant>',
    'model variant: auto (int8 when present), int8 or float32',
    variantPreference,
    'auto',
  )
  .option('--batch <n>', 'clips per inference batch', positiveInt, 64)
  .option('--workers <n>', 'decode worker threads', positiveInt, split.workers)
  .option('--threads <n>', 'onnxruntime intra-op threads', positiveInt, split.intraOpThreads)
  .option('--evaluate', 'with labels: print accuracy, top-5 and a per-sign report')
  .option(
    '--labels <csv>',
    'labels for --evaluate (sequence_id, sign); default: the sign column or test_labels.csv',
  )
  .option('--restart', 'discard an existing journal and start over')
  .option('--keep-journal', 'keep <out>.journal after writing the output')
  .parse();

const opts = program.opts<{
  data: string;
  model: string;
  out: string;
  csv?: string;
  format?: SubmissionFormat;
  top: number;
  probs?: boolean;
  precision: VariantPreference;
  batch: number;
  workers: number;
  threads: number;
  evaluate?: boolean;
  labels?: string;
  restart?: boolean;
  keepJournal?: boolean;
}>();

const signal = abortOnInterrupt('stopping after the current batch');

const bar = new RateBar(
  {
    format:
      'submit [{bar}] {percentage}% | {value}/{total} clips | {rate} clips/s | ETA {eta_formatted} | fallback {failed}',
    etaBuffer: 50,
    hideCursor: true,
    stream: process.stderr,
  },
  0,
);
let scored = 0;
let failed = 0;
const onEvent = (event: SubmitEvent) => {
  if (event.type === 'planned') {
    process.stderr.write(
      `model ${event.model.id} (${event.model.variant}), ${event.clips} clips from ${event.listing}\n`,
    );
    if (event.resumed > 0)
      process.stderr.write(`resuming: ${event.resumed} clips already scored in the journal\n`);
    bar.start(event.toScore, { failed: 0 });
  } else {
    scored += event.clips;
    failed += event.failed;
    bar.update(scored, { failed });
  }
};

await reportResumableRun(
  'submit',
  () =>
    runSubmit({
      dataDir: opts.data,
      csv: opts.csv ?? null,
      modelDir: opts.model,
      out: opts.out,
      format: opts.format ?? (opts.out.endsWith('.parquet') ? 'parquet' : 'csv'),
      top: opts.top,
      probs: opts.probs === true,
      precision: opts.precision,
      batch: opts.batch,
      workers: opts.workers,
      intraOpThreads: opts.threads,
      evaluate: opts.evaluate === true,
      labels: opts.labels ?? null,
      restart: opts.restart === true,
      keepJournal: opts.keepJournal === true,
      signal,
      onEvent,
    }),
  () => bar.stop(),
  (summary) => {
    const resume = `npm run submit -- ${process.argv
      .slice(2)
      .filter((a) => a !== '--restart')
      .join(' ')}`;
    const evaluation = summary.evaluation === null ? '' : `\n\n${formatEvaluation(summary.evaluation)}`;
    return `${formatSubmitSummary(summary, resume)}${evaluation}`;
  },
);
