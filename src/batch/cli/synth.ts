/**
 * npm run synth -- --out data/synth [--seed 42] [--signs 250] [--signers 21] [--clips-per-sign N | --clips N |
 *   --full] [--test-clips N] [--sign-map path] [--workers N]
 *
 * Writes a synthetic ASL-Signs dataset in the Kaggle layout (see src/batch/data/synth/write-dataset.ts).
 */
import { availableParallelism } from 'node:os';
import { Command } from 'commander';
import { FULL_CLIPS } from '../data/synth/dataset-plan.ts';
import { readSignMap } from '../data/kaggle/read-sign-map.ts';
import type { SynthSummary } from '../data/synth/write-dataset.ts';
import { writeSynthDataset } from '../data/synth/write-dataset.ts';
import { nonNegativeInt, positiveInt } from './cli-args.ts';
import { RateBar } from './cli-rate-bar.ts';

/** Sized so that the default run takes about a minute on a 2-core machine (see the synth report). */
export const DEFAULT_CLIPS_PER_SIGN = 12;

interface CliOptions {
  out: string;
  seed: number;
  signs?: number;
  signers: number;
  clipsPerSign?: number;
  clips?: number;
  full?: boolean;
  testClips: number;
  signMap?: string;
  workers: number;
}

function formatSynthSummary(s: SynthSummary): string {
  const mb = (s.bytes / 1e6).toFixed(1);
  return [
    `wrote ${s.trainClips} train + ${s.testClips} test clips to ${s.out}`,
    `  signs ${s.signs}, signers ${s.signers} (${s.leftDominantSigners} left-dominant)`,
    `  frames ${s.frames} (median ${s.medianFrames}, max ${s.maxFrames} per clip)`,
    `  whole hand missing in ${(100 * s.handNullFraction).toFixed(1)}% of hand-frames, face in ${(100 * s.faceNullFraction).toFixed(1)}% of frames`,
    `  ${mb} MB of parquet in ${s.seconds.toFixed(1)} s: ${s.clipsPerSecond.toFixed(1)} clips/s, ${(s.bytes / 1e6 / s.seconds).toFixed(1)} MB/s (${s.workers} workers)`,
  ].join('\n');
}

async function main(argv: readonly string[]): Promise<void> {
  const program = new Command()
    .name('synth')
    .description('Write a synthetic ASL-Signs dataset in the Kaggle layout.')
    .requiredOption('--out <dir>', 'output directory')
    .option('--seed <n>', 'generator seed', nonNegativeInt, 42)
    .option('--signs <n>', 'number of signs (default 250, or the sign map size)', positiveInt)
    .option('--signers <n>', 'number of signers', positiveInt, 21)
    .option(
      '--clips-per-sign <n>',
      `labelled clips per sign (default ${DEFAULT_CLIPS_PER_SIGN})`,
      positiveInt,
    )
    .option('--clips <n>', 'labelled clips in total (overrides --clips-per-sign)', nonNegativeInt)
    .option('--full', `as many labelled clips as the real set (${FULL_CLIPS})`)
    .option(
      '--test-clips <n>',
      'also write this many held-out clips (test.csv, test_labels.csv)',
      nonNegativeInt,
      0,
    )
    .option('--sign-map <path>', 'take sign names from this sign_to_prediction_index_map.json')
    .option('--workers <n>', 'worker threads (0: none)', nonNegativeInt, availableParallelism())
    .parse(argv, { from: 'node' });
  const o = program.opts<CliOptions>();

  const signNames = o.signMap ? await readSignMap(o.signMap) : undefined;
  const signs = o.signs ?? signNames?.length ?? 250;
  const clips = o.full ? FULL_CLIPS : (o.clips ?? signs * (o.clipsPerSign ?? DEFAULT_CLIPS_PER_SIGN));

  const bar = new RateBar(
    {
      format:
        'synth [{bar}] {percentage}% | {value}/{total} clips | {rate} clips/s | {mb} MB | ETA {eta_formatted}',
      stream: process.stderr,
      etaBuffer: 200,
      fps: 5,
    },
    1,
  );
  bar.start(clips + o.testClips, { mb: '0.0' });
  const summary = await writeSynthDataset({
    out: o.out,
    seed: o.seed,
    signs,
    signers: o.signers,
    clips,
    testClips: o.testClips,
    workers: o.workers,
    ...(signNames ? { signNames } : {}),
    onProgress: ({ done, bytes }) => bar.update(done, { mb: (bytes / 1e6).toFixed(1) }),
  }).finally(() => bar.stop());
  process.stdout.write(`${formatSynthSummary(summary)}\n`);
}

main(process.argv).catch((e: unknown) => {
  process.stderr.write(`synth: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exitCode = 1;
});
