/**
 * npm run bench:submit -- [--clips 40000] [--distinct N] [--model models/<name>] [--precision auto]
 *   [--batch 64] [--splits 1x2,2x1] [--seed 42]
 *
 * Scores a synthetic test split (generated once, cached under data/bench-submit/) end to end with
 * `npm run submit`'s pipeline and prints clips/s per stage and the projection against the 5-minute
 * target for 40,000 clips. Without --model it scores a generated baseline-size stand-in (same inputs,
 * ~5.4 M parameters, ~0.68 GFLOP per clip, untrained) so the figures speak to the real model's cost.
 */
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join, resolve } from 'node:path';
import { Command, InvalidArgumentError } from 'commander';
import { BASELINE_SIZE_FIXTURE, writeFixtureBundle } from '../fixtures/fixture-bundle.ts';
import type { VariantPreference } from '../../shared/bundle/select-variant.ts';
import { prepareBenchDataset } from '../submit/bench/bench-dataset.ts';
import { machineBusyMs } from '../submit/bench/machine-busy.ts';
import { formatSubmitSummary } from '../submit/format-submit-summary.ts';
import { runSubmit, type SubmitSummary } from '../submit/run-submit.ts';
import { defaultThreadSplit, type ThreadSplit } from '../submit/thread-split.ts';
import { positiveInt, variantPreference } from './cli-args.ts';
import { RateBar } from './cli-rate-bar.ts';

const ROOT = resolve('data', 'bench-submit');
const TARGET_CLIPS = 40_000;
const TARGET_SECONDS = 300;
const CORES = availableParallelism();

function splits(value: string): ThreadSplit[] {
  return value.split(',').map((pair) => {
    const match = /^(\d+)x(\d+)$/.exec(pair.trim());
    if (match === null) throw new InvalidArgumentError('expected WORKERSxTHREADS pairs, e.g. 1x2,2x1');
    return { workers: positiveInt(match[1]!), intraOpThreads: positiveInt(match[2]!) };
  });
}

const program = new Command('bench:submit')
  .description('Benchmark npm run submit on a cached synthetic test split')
  .option('--clips <n>', 'clips to score', positiveInt, TARGET_CLIPS)
  .option(
    '--distinct <n>',
    'distinct files to generate (default: --clips); the listing repeats them',
    positiveInt,
  )
  .option('--model <dir>', 'bundle to score with (default: a generated baseline-size stand-in)')
  .option('--precision <variant>', 'auto, int8 or float32', variantPreference, 'auto')
  .option('--batch <n>', 'clips per inference batch', positiveInt, 64)
  .option('--splits <list>', 'decode workers x intra-op threads to compare, e.g. 1x2,2x1', splits)
  .option('--seed <n>', 'synthetic dataset seed', positiveInt, 42)
  .parse();

const opts = program.opts<{
  clips: number;
  distinct?: number;
  model?: string;
  precision: VariantPreference;
  batch: number;
  splits?: ThreadSplit[];
  seed: number;
}>();
const precision = opts.precision;

const barOptions = {
  format: '{stage} [{bar}] {value}/{total} | {rate}/s | ETA {eta_formatted}',
  hideCursor: true,
  etaBuffer: 100,
};
const synthBar = new RateBar(barOptions, 1);
const submitBar = new RateBar(barOptions, 0);

const dataset = await prepareBenchDataset(
  ROOT,
  { seed: opts.seed, distinct: opts.distinct ?? opts.clips, listed: opts.clips },
  (p) => {
    if (p.done === 1) synthBar.start(p.total, { stage: 'synth' });
    synthBar.update(p.done);
  },
);
synthBar.stop();
process.stdout.write(
  `data: ${dataset.listed} clips listed over ${dataset.distinct} distinct files in ${dataset.dir}` +
    `${dataset.generated ? ' (generated now)' : ' (cached)'}\n`,
);

let modelDir = opts.model === undefined ? join(ROOT, 'model-baseline-size') : resolve(opts.model);
if (opts.model === undefined && !existsSync(join(modelDir, 'manifest.json'))) {
  await writeFixtureBundle(modelDir, BASELINE_SIZE_FIXTURE);
}
modelDir = resolve(modelDir);
process.stdout.write(
  `model: ${modelDir}${opts.model === undefined ? ' (baseline-size stand-in, untrained)' : ''}\n`,
);

const results: { split: ThreadSplit; summary: SubmitSummary; othersCores: number | null }[] = [];
for (const split of opts.splits ?? [defaultThreadSplit(CORES)]) {
  process.stdout.write(`\n== ${split.workers} decode workers, ${split.intraOpThreads} intra-op threads\n`);
  let scored = 0;
  const busyBefore = machineBusyMs();
  const cpuBefore = process.cpuUsage();
  const summary = await runSubmit({
    dataDir: dataset.dir,
    csv: dataset.csv,
    modelDir,
    out: join(ROOT, 'out', 'submission.csv'),
    format: 'csv',
    top: 1,
    probs: false,
    precision,
    batch: opts.batch,
    workers: split.workers,
    intraOpThreads: split.intraOpThreads,
    evaluate: false,
    restart: true,
    onEvent: (event) => {
      if (event.type === 'planned') {
        submitBar.start(event.toScore, { stage: 'submit' });
      } else {
        scored += event.clips;
        submitBar.update(scored);
      }
    },
  });
  submitBar.stop();
  const busyAfter = machineBusyMs();
  const cpu = process.cpuUsage(cpuBefore);
  const othersMs =
    busyBefore === null || busyAfter === null
      ? null
      : busyAfter - busyBefore - (cpu.user + cpu.system) / 1000;
  process.stdout.write(`${formatSubmitSummary(summary, '')}\n${projection(summary)}\n`);
  process.stdout.write(
    `peak RSS of this process so far: ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB\n`,
  );
  if (othersMs !== null) {
    process.stdout.write(
      `other processes on this machine took ${(othersMs / 1000).toFixed(1)} core-seconds meanwhile ` +
        `(${(othersMs / 1000 / summary.wallSeconds).toFixed(2)} of ${CORES} cores on average)\n`,
    );
  }
  results.push({
    split,
    summary,
    othersCores: othersMs === null ? null : othersMs / 1000 / summary.wallSeconds,
  });
}

if (results.length > 1) {
  process.stdout.write(
    '\nworkers x threads   clips/s   40k projection   CPU ms/clip   CPU-bound 40k on idle cores   others (cores)\n',
  );
  for (const { split, summary, othersCores } of results) {
    const rate = summary.scoredNow / summary.pipelineSeconds;
    process.stdout.write(
      `${`${split.workers} x ${split.intraOpThreads}`.padEnd(19)} ${rate.toFixed(0).padStart(7)}   ` +
        `${`${(TARGET_CLIPS / rate + startup(summary)).toFixed(0)} s`.padStart(14)}   ` +
        `${cpuPerClip(summary).toFixed(2).padStart(11)}   ${`${cpuBound(summary).toFixed(0)} s`.padStart(27)}   ` +
        `${othersCores === null ? '-' : othersCores.toFixed(2)}\n`,
    );
  }
}

function startup(s: SubmitSummary): number {
  return s.wallSeconds - s.pipelineSeconds;
}

function cpuPerClip(s: SubmitSummary): number {
  return s.timings.cpuMs / s.scoredNow;
}

/** 40k clips if every core worked for this run and nothing else: CPU per clip over the cores. */
function cpuBound(s: SubmitSummary): number {
  return (TARGET_CLIPS * cpuPerClip(s)) / 1000 / CORES + startup(s);
}

function projection(s: SubmitSummary): string {
  const rate = s.scoredNow / s.pipelineSeconds;
  const seconds = TARGET_CLIPS / rate + startup(s);
  const verdict = seconds <= TARGET_SECONDS ? 'within' : 'over';
  return (
    `projection: ${TARGET_CLIPS} clips at ${rate.toFixed(0)} clips/s + ${startup(s).toFixed(1)} s start-up = ` +
    `${seconds.toFixed(0)} s (${(seconds / 60).toFixed(1)} min), ${verdict} the ${TARGET_SECONDS / 60}-minute target; ` +
    `CPU-bound on ${CORES} idle cores: ${cpuBound(s).toFixed(0)} s`
  );
}
