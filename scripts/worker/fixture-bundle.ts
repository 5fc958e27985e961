import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  BUNDLE_FORMAT,
  type BundleFile,
  type BundleManifest,
  type ModelVariant,
} from '../../src/shared/bundle/manifest.ts';
import { sha256Hex } from '../../src/shared/bundle/sha256.ts';
import { INPUT_SIZE, N_COORDS, N_POINTS, PREPROCESS_VERSION } from '../../src/shared/preprocess/constants.ts';
import { neutralStats } from '../../src/shared/preprocess/neutral-stats.ts';
import { buildFixtureModel, fixtureModelFlops, type FixtureModelConfig } from './fixture-model.ts';

export interface FixtureBundleOptions extends FixtureModelConfig {
  readonly modelId: string;
  readonly variants: readonly ModelVariant[];
  /** Overrides for tests that need a bundle the loader must refuse. */
  readonly preprocessVersion?: string;
}

export const TINY_FIXTURE: FixtureBundleOptions = {
  modelId: 'fixture-tiny',
  classes: 250,
  hidden: 32,
  depth: 1,
  seed: 7,
  variants: ['float32', 'int8'],
};

/** Close to the baseline transformer in parameters and FLOPs: a latency stand-in for the bench. */
export const BASELINE_SIZE_FIXTURE: FixtureBundleOptions = {
  ...TINY_FIXTURE,
  modelId: 'fixture-baseline-size',
  hidden: 512,
  depth: 20,
};

const FILE_NAMES: Readonly<Record<ModelVariant, string>> = { float32: 'model.onnx', int8: 'model.int8.onnx' };

/** Invented names: the fixture must not carry the real sign list. */
export function fixtureSignNames(count: number): string[] {
  return Array.from({ length: count }, (_, i) => `sign-${String(i).padStart(3, '0')}`);
}

/** Writes manifest.json and the model files into `dir`; returns the manifest. */
export async function writeFixtureBundle(
  dir: string,
  options: FixtureBundleOptions,
): Promise<BundleManifest> {
  await mkdir(dir, { recursive: true });
  const files: Partial<Record<ModelVariant, BundleFile>> = {};
  for (const variant of options.variants) {
    const bytes = buildFixtureModel(options, variant);
    const path = FILE_NAMES[variant];
    await writeFile(join(dir, path), bytes);
    files[variant] = { path, sha256: await sha256Hex(bytes), bytes: bytes.length };
  }
  const signs = fixtureSignNames(options.classes);
  const preprocessVersion = options.preprocessVersion ?? PREPROCESS_VERSION;
  const manifest: BundleManifest = {
    format: BUNDLE_FORMAT,
    modelId: options.modelId,
    createdAt: '2026-01-01T00:00:00.000Z',
    files,
    inputs: [
      { name: 'frames', shape: ['batch', INPUT_SIZE, N_POINTS, N_COORDS], dtype: 'float32' },
      { name: 'non_empty_frame_idxs', shape: ['batch', INPUT_SIZE], dtype: 'float32' },
    ],
    outputs: [{ name: 'probabilities', shape: ['batch', options.classes], dtype: 'float32' }],
    preprocess: { version: preprocessVersion, stats: { ...neutralStats(), preprocessVersion } },
    signs,
    fallbackSign: signs[0]!,
    config: {
      architecture: 'fixture per-frame residual MLP (seeded noise weights)',
      hidden: options.hidden,
      depth: options.depth,
      seed: options.seed,
      flopsPerClip: fixtureModelFlops(options),
    },
    metrics: {},
    training: {
      run: 'none',
      note: 'Fixture bundle from scripts/worker/make-fixture-bundle.ts: untrained, invented sign names. Replace with an exported bundle.',
    },
  };
  await writeFile(join(dir, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  return manifest;
}
