import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { encodeClip, MEDIA_TYPES, type ClipFormat } from '../../scripts/worker/clip-encodings.ts';
import { TINY_FIXTURE, writeFixtureBundle } from '../../src/batch/fixtures/fixture-bundle.ts';
import { NodeReference } from '../../scripts/worker/node-reference.ts';
import { buildPage, writePageModule } from '../../scripts/page/build-page.ts';
import { writeSampleClips } from '../../scripts/worker/sample-clips.ts';
import { syntheticClip } from '../../scripts/worker/synthetic-clip.ts';
import { sha256Hex } from '../../src/shared/bundle/sha256.ts';
import { LANDMARK_OFFSETS } from '../../src/shared/landmarks/layout.ts';
import { checkRealData, hasRealData, readRealFile } from '../shared/real-files.ts';
import { BAD_CLIPS, BUNDLES, CLIPS_DIR, type ExpectedClip } from './fixture-names.ts';

/**
 * Node side of the workerd tests. It builds a static-assets folder in a temp dir (outside the
 * repository) holding the fixture bundle, bundles the loader must refuse, and clips with what
 * onnxruntime-node answers for them: the same shared reader and preprocessing, run natively.
 * The Worker under test reads all of it through its real ASSETS binding.
 */

/** Real clips: 2 and 6 frames (padding), 18 (the median), 105 (more than 64: pooling). */
const REAL_CLIPS = [
  'train_landmark_files/4718/3732957229.parquet',
  'train_landmark_files/30680/804665247.parquet',
  'train_landmark_files/36257/3445210051.parquet',
  'train_landmark_files/16069/10042041.parquet',
];

async function writeManifest(dir: string, edit: (m: Record<string, unknown>) => void): Promise<void> {
  const path = join(dir, 'manifest.json');
  const manifest = JSON.parse(await readFile(path, 'utf8')) as Record<string, unknown>;
  edit(manifest);
  await writeFile(path, JSON.stringify(manifest));
}

async function refusedBundles(assets: string): Promise<void> {
  const fixture = join(assets, BUNDLES.good);
  const copyOf = async (name: string): Promise<string> => {
    const dir = join(assets, name);
    await mkdir(dir, { recursive: true });
    for (const f of ['manifest.json', 'model.onnx', 'model.int8.onnx'])
      await copyFile(join(fixture, f), join(dir, f));
    return dir;
  };

  await writeFixtureBundle(join(assets, BUNDLES.float32Only), { ...TINY_FIXTURE, variants: ['float32'] });
  await writeFixtureBundle(join(assets, BUNDLES.nanOutput), {
    ...TINY_FIXTURE,
    variants: ['float32'],
    nanOutput: true,
  });
  await writeFixtureBundle(join(assets, BUNDLES.oldPreprocess), {
    ...TINY_FIXTURE,
    preprocessVersion: 'baseline-66x64-v0',
  });

  for (const name of [BUNDLES.tampered, BUNDLES.truncated]) {
    const dir = await copyOf(name);
    for (const f of ['model.onnx', 'model.int8.onnx']) {
      const bytes = new Uint8Array(await readFile(join(dir, f)));
      if (name === BUNDLES.tampered) bytes[bytes.length - 5]! ^= 0x01;
      await writeFile(
        join(dir, f),
        name === BUNDLES.tampered ? bytes : bytes.subarray(0, bytes.length - 100),
      );
    }
  }

  await writeFile(
    join(await copyOf(BUNDLES.badManifest), 'manifest.json'),
    '{"format": "signcast-bundle/1", ',
  );
  await writeManifest(await copyOf(BUNDLES.wrongFormat), (m) => (m['format'] = 'signcast-bundle/0'));
  await writeManifest(
    await copyOf(BUNDLES.wrongOutput),
    (m) => (m['outputs'] = [{ name: 'logits', shape: ['batch', 250], dtype: 'float32' }]),
  );

  const missing = await copyOf(BUNDLES.missingFile);
  await rm(join(missing, 'model.int8.onnx'));

  // Intact by its hash, but not an ONNX model at all.
  const notOnnx = await copyOf(BUNDLES.notOnnx);
  const garbage = new TextEncoder().encode('this is not an onnx model '.repeat(40));
  await writeFile(join(notOnnx, 'model.int8.onnx'), garbage);
  const file = { path: 'model.int8.onnx', sha256: await sha256Hex(garbage), bytes: garbage.length };
  await writeManifest(notOnnx, (m) => (m['files'] = { int8: file }));
}

async function clipsWithExpectations(assets: string): Promise<void> {
  const dir = join(assets, CLIPS_DIR);
  await mkdir(dir, { recursive: true });
  const models = {
    float32: await NodeReference.create(
      new Uint8Array(await readFile(join(assets, BUNDLES.good, 'model.onnx'))),
    ),
    int8: await NodeReference.create(
      new Uint8Array(await readFile(join(assets, BUNDLES.good, 'model.int8.onnx'))),
    ),
  };
  const clips: ExpectedClip[] = [];
  const add = async (name: string, format: ClipFormat, body: Uint8Array, real: boolean): Promise<void> => {
    await writeFile(join(dir, name), body);
    const clip = await NodeReference.decode(body, format, name);
    const expected = { float32: [] as number[], int8: [] as number[] };
    for (const variant of ['float32', 'int8'] as const) {
      expected[variant] = Array.from(await models[variant].predict(body, format, name));
    }
    clips.push({ name, format, mediaType: MEDIA_TYPES[format], real, frames: clip.frameCount, expected });
  };

  if (hasRealData) {
    for (const [i, path] of REAL_CLIPS.entries())
      await add(`real-${i}.parquet`, 'parquet', readRealFile(path), true);
  }
  const synthetic = syntheticClip({ frames: 30, seed: 11, hand: 'right_hand', handMissingFrames: 3 });
  for (const format of ['parquet', 'arrow', 'json'] as const) {
    await add(`synthetic.${format}`, format, encodeClip(synthetic, format, 40), false);
  }
  await writeFile(join(dir, 'expected.json'), JSON.stringify(clips));

  // Bodies the Worker must refuse: an infinite coordinate on the signing hand, a truncated file (real
  // where the real clips are here).
  const infinite = syntheticClip({ frames: 8, seed: 5, hand: 'left_hand' });
  infinite[4]![LANDMARK_OFFSETS.left_hand + 8] = [0.5, Infinity, 0];
  await writeFile(join(dir, BAD_CLIPS.infiniteParquet), encodeClip(infinite, 'parquet'));
  await writeFile(join(dir, BAD_CLIPS.infiniteArrow), encodeClip(infinite, 'arrow'));
  const real = hasRealData
    ? readRealFile(REAL_CLIPS[1]!)
    : encodeClip(syntheticClip({ frames: 6, seed: 3, hand: 'right_hand' }), 'parquet');
  await writeFile(join(dir, BAD_CLIPS.truncatedParquet), real.subarray(0, Math.floor(real.length / 2)));
  await Promise.all([models.float32.release(), models.int8.release()]);
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  checkRealData();
  // The Worker imports the built page (build/page/files.js): build it before workerd loads the Worker.
  await writePageModule(await buildPage());
  const assets = await mkdtemp(join(tmpdir(), 'signcast-worker-test-'));
  await writeFixtureBundle(join(assets, BUNDLES.good), TINY_FIXTURE);
  await writeSampleClips(join(assets, BUNDLES.good, 'samples'));
  await refusedBundles(assets);
  await clipsWithExpectations(assets);
  project.provide('workerTestAssets', assets);
  project.provide('hasRealData', hasRealData);
  return async () => rm(assets, { recursive: true, force: true });
}
