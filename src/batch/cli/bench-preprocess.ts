/**
 * npm run bench:preprocess [-- --clips N --seed N --workers N --shard-size N | --data <dir>]
 *
 * Throughput of the whole preprocessing pipeline (read train.csv, decode every parquet file, preprocess,
 * write Arrow shards and statistics) on a synthetic set with the real frame-count distribution, generated
 * once with the synth generator and cached under data/bench/. Projects the time for the full 94,477 clips
 * against the 10-minute target. The files are fresh from the generator, so they are likely in the page
 * cache: the figure leaves cold disk reads out. Wall-clock rates suffer from anything else running on the
 * machine, so the CPU time the process spent (main thread and workers) is reported too: on idle cores the
 * pipeline runs at about cores / (CPU seconds per file).
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Command } from 'commander';
import { readTrainCsv } from '../data/kaggle/read-train-csv.ts';
import { writeSynthDataset } from '../data/synth/write-dataset.ts';
import { frameStats } from '../preprocess/frame-stats.ts';
import { runPreprocess } from '../preprocess/run-preprocess.ts';
import { positiveInt } from './cli-args.ts';

const FULL_CLIPS = 94_477;
const TARGET_SECONDS = 600;

const opts = new Command('bench:preprocess')
  .description('Preprocessing throughput (files/s) and the projected time for the full dataset')
  .option('--clips <n>', 'synthetic clips to generate (cached under data/bench/)', positiveInt, 4000)
  .option('--seed <n>', 'synthetic generator seed', positiveInt, 7)
  .option('--data <dir>', 'bench this dataset directory instead of the synthetic one')
  .option('--workers <n>', 'worker threads', positiveInt, availableParallelism())
  .option('--shard-size <n>', 'files per shard', positiveInt, 1000)
  .parse()
  .opts<{ clips: number; seed: number; data?: string; workers: number; shardSize: number }>();

async function syntheticSet(clips: number, seed: number): Promise<string> {
  const dir = resolve('data/bench', `synth-${clips}-seed${seed}`);
  // The generator writes train.csv last: its presence means the set is complete.
  if (existsSync(join(dir, 'train.csv'))) {
    process.stderr.write(`reusing ${dir}\n`);
    return dir;
  }
  process.stderr.write(`generating ${clips} synthetic clips into ${dir} ...\n`);
  rmSync(dir, { recursive: true, force: true });
  const made = await writeSynthDataset({ out: dir, seed, signs: 250, signers: 21, clips, testClips: 0 });
  process.stderr.write(`generated in ${made.seconds.toFixed(1)} s (${(made.bytes / 1e6).toFixed(0)} MB)\n`);
  return dir;
}

const dataDir = opts.data === undefined ? await syntheticSet(opts.clips, opts.seed) : resolve(opts.data);
const outDir = mkdtempSync(join(tmpdir(), 'signcast-bench-preprocess-'));
try {
  const load = loadavg()[0]!;
  const cpuBefore = process.cpuUsage();
  const summary = await runPreprocess({ dataDir, outDir, workers: opts.workers, shardSize: opts.shardSize });
  const cpu = process.cpuUsage(cpuBefore);
  const cpuPerFile = (cpu.user + cpu.system) / 1e6 / summary.filesProcessed;
  const cores = Math.min(opts.workers, availableParallelism());
  const idleRate = cores / cpuPerFile;
  const rows = await readTrainCsv(join(dataDir, 'train.csv'));
  const frames = await frameStats(rows.map((r) => join(dataDir, r.path)));
  const projected = FULL_CLIPS / summary.filesPerSecond;
  const verdict =
    projected <= TARGET_SECONDS
      ? `within the ${TARGET_SECONDS} s target (${((100 * projected) / TARGET_SECONDS).toFixed(0)} % of it)`
      : `OVER the ${TARGET_SECONDS} s target by ${(projected - TARGET_SECONDS).toFixed(0)} s`;
  process.stdout.write(
    [
      `set: ${dataDir}`,
      `  ${summary.listed} clips, frames per clip mean ${frames.mean.toFixed(1)}, median ${frames.median}, max ${frames.max}`,
      `  ${summary.ok} ok, ${summary.rejected} rejected`,
      `pipeline: ${opts.workers} workers on ${availableParallelism()} cores, shard size ${opts.shardSize}, load average before ${load.toFixed(1)}`,
      `  wall ${summary.seconds.toFixed(2)} s: ${summary.filesPerSecond.toFixed(1)} files/s`,
      `  CPU ${(cpuPerFile * 1000).toFixed(2)} ms per file: ~${idleRate.toFixed(0)} files/s on ${cores} idle cores, ${(FULL_CLIPS / idleRate).toFixed(0)} s for the full set`,
      `projected for ${FULL_CLIPS} clips at the measured wall rate: ${projected.toFixed(0)} s (${(projected / 60).toFixed(1)} min), ${verdict}`,
    ].join('\n') + '\n',
  );
} finally {
  rmSync(outDir, { recursive: true, force: true });
}
