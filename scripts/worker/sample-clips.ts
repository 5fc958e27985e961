import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { encodeLandmarkParquet } from '../../src/batch/data/kaggle/write-landmark-parquet.ts';
import { planDataset, type SynthOptions } from '../../src/batch/data/synth/dataset-plan.ts';
import { generateClip } from '../../src/batch/data/synth/generate-clip.ts';
import type { HandsUse } from '../../src/batch/data/synth/sign-spec.ts';
import {
  SAMPLE_INDEX_FORMAT,
  SAMPLE_INDEX_FILE,
  type SampleClip,
  type SampleIndex,
} from '../../src/shared/bundle/sample-index.ts';
import { encodeClip, FILE_EXTENSIONS, type ClipFormat } from './clip-encodings.ts';
import { syntheticClip } from './synthetic-clip.ts';

export const SAMPLE_NAME = 'synthetic-right-hand';

/** Landmark files carry frame numbers only: the samples play at 30 fps, a common camera rate. */
const FPS = 30;

/**
 * The dataset of the README's tour (`npm run synth -- --out data/synth --test-clips 600`), which
 * models/demo was trained on: its test split was never trained on.
 */
export const TOUR_DATASET: SynthOptions = { seed: 42, signs: 250, signers: 21, clips: 3000, testClips: 600 };

const HANDS: Readonly<Record<HandsUse, string>> = {
  one: 'one hand',
  mirror: 'two hands, mirrored',
  alternate: 'two hands, alternating',
  base: 'one hand on the other',
};

/**
 * Writes one made-up clip (never a real one) in every format POST /v1/predict accepts, for the curl
 * that `npm start` prints and for trying the API by hand, and an index that lists it.
 */
export async function writeSampleClips(dir: string): Promise<Record<ClipFormat, string>> {
  await mkdir(dir, { recursive: true });
  const clip = syntheticClip({ frames: 12, seed: 2024, hand: 'right_hand', handMissingFrames: 1 });
  const paths = {} as Record<ClipFormat, string>;
  for (const format of ['parquet', 'arrow', 'json'] as const) {
    const path = join(dir, `${SAMPLE_NAME}.${FILE_EXTENSIONS[format]}`);
    await writeFile(path, encodeClip(clip, format, 30));
    paths[format] = path;
  }
  await writeIndex(dir, 'A made-up clip: random points that move, not a sign.', []);
  return paths;
}

const RANDOM_SAMPLE: SampleClip = {
  file: `${SAMPLE_NAME}.parquet`,
  title: 'Random points (not a sign)',
  frames: 12,
  fps: FPS,
};

async function writeIndex(dir: string, note: string, first: readonly SampleClip[]): Promise<string> {
  const index: SampleIndex = { format: SAMPLE_INDEX_FORMAT, note, samples: [...first, RANDOM_SAMPLE] };
  const path = join(dir, SAMPLE_INDEX_FILE);
  await writeFile(path, `${JSON.stringify(index, null, 2)}\n`);
  return path;
}

/**
 * Clips of the tour dataset's test split (by sequence id), written as the Kaggle parquet files the
 * generator would write, listed first in the index in the order given. They show the synthetic signs
 * a model trained on that dataset knows; each carries its sign so a page can show whether the model
 * got it right.
 */
export async function writeSignSamples(dir: string, sequenceIds: readonly number[]): Promise<string[]> {
  await writeSampleClips(dir);
  const plan = planDataset(TOUR_DATASET);
  const written: string[] = [];
  const listed: SampleClip[] = [];
  for (const id of sequenceIds) {
    const job = plan.clips.find((c) => c.sequenceId === id);
    if (!job) throw new Error(`no clip with sequence id ${id} in the tour dataset`);
    if (job.split !== 'test') throw new Error(`clip ${id} is a training clip; pick one from the test split`);
    const sign = plan.names[job.sign]!;
    const clip = generateClip(plan.signs[job.sign]!, plan.signers[job.signer]!, job.seed);
    const file = `${sign}-${id}.parquet`;
    await writeFile(join(dir, file), encodeLandmarkParquet(clip));
    written.push(join(dir, file));
    const hands = HANDS[plan.signs[job.sign]!.hands];
    const dominant = plan.signers[job.signer]!.dominant;
    listed.push({
      file,
      title: `“${sign}”, ${hands} (${dominant}-handed signer)`,
      sign,
      frames: clip.frameCount,
      fps: FPS,
    });
  }
  const note =
    'Synthetic clips from the test split of the dataset models/demo was trained on (`npm run synth -- --test-clips 600`): never trained on. Sign names are invented.';
  written.push(await writeIndex(dir, note, listed));
  return written;
}
