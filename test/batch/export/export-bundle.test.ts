import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeBundle } from '../../../src/batch/export/bundle/write-bundle.ts';
import { verifyBundleDir } from '../../../src/batch/export/bundle/bundle-dir.ts';
import type { ExportedVariantMetrics } from '../../../src/batch/export/bundle/exported-metrics.ts';
import { exportBundle, type ExportResult } from '../../../src/batch/export/export-bundle.ts';
import { DEFAULT_POLICY } from '../../../src/batch/export/quantize/quantization-policy.ts';
import { openScoringBundle } from '../../../src/batch/submit/run-submit.ts';
import { BundleError } from '../../../src/shared/bundle/bundle-error.ts';
import type { BundleManifest } from '../../../src/shared/bundle/manifest.ts';
import { parseManifestBytes } from '../../../src/shared/bundle/parse-manifest.ts';
import { neutralStats } from '../../../src/shared/preprocess/neutral-stats.ts';
import { hasRealData } from '../../shared/real-files.ts';
import { realClips, realSigns } from './real-clips.ts';
import { TINY_CONFIG, tinyInferenceModel } from './tiny-model.ts';

let root: string;
let bundleDir: string;
let result: ExportResult;

async function refusal(promise: Promise<unknown>): Promise<string> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(BundleError);
  return (err as BundleError).code;
}

/** A copy of the exported bundle with one edit, so each refusal starts from an intact bundle. */
async function copyWith(name: string, edit: (dir: string) => Promise<void>): Promise<string> {
  const dir = join(root, name);
  await mkdir(dir);
  for (const f of await readdir(bundleDir)) await writeFile(join(dir, f), await readFile(join(bundleDir, f)));
  await edit(dir);
  return dir;
}

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'signcast-export-'));
  bundleDir = join(root, 'tiny');
  result = await exportBundle(
    {
      floatModel: tinyInferenceModel(),
      config: { ...TINY_CONFIG },
      stats: neutralStats(),
      signs: realSigns(),
      fallbackSign: realSigns()[0]!,
      validation: await realClips(12),
      training: { run: 'test/tiny', note: 'freshly initialised' },
    },
    {
      outDir: bundleDir,
      modelId: 'tiny-test',
      policy: DEFAULT_POLICY,
      threads: 1,
      scorerBatch: 4,
      latency: { warmup: 1, runs: 3 },
      parityClips: 4,
      log: () => undefined,
    },
  );
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe.skipIf(!hasRealData)('exportBundle', () => {
  it('writes the three files and a manifest the shared parser accepts, with every figure', async () => {
    expect((await readdir(bundleDir)).sort()).toEqual(['manifest.json', 'model.int8.onnx', 'model.onnx']);
    const manifest = parseManifestBytes(new Uint8Array(await readFile(join(bundleDir, 'manifest.json'))));
    expect(manifest).toEqual(result.manifest);
    expect(manifest.modelId).toBe('tiny-test');
    expect(manifest.signs).toEqual(realSigns());
    expect(manifest.outputs).toEqual([{ name: 'probabilities', shape: ['batch', 3], dtype: 'float32' }]);
    expect(manifest.inputs.map((i) => i.name)).toEqual(['frames', 'non_empty_frame_idxs']);
    const metrics = manifest.metrics as Record<'float32' | 'int8', ExportedVariantMetrics>;
    for (const variant of ['float32', 'int8'] as const) {
      expect(metrics[variant].clips).toBe(12);
      expect(Object.keys(metrics[variant].latencyMs ?? {}).sort()).toEqual([
        'onnxruntime-node',
        'onnxruntime-web-wasm',
      ]);
      expect(metrics[variant].parityNodeWeb?.clips).toBe(4);
    }
    expect(metrics.float32.parityNodeWeb!.maxAbsDiff).toBeLessThan(1e-4);
    expect(metrics.int8.parityNodeWeb!.top1Agreement).toBe(1);
    expect(metrics.int8.top1AgreementWithFloat32).toBeGreaterThan(0);
    // Weights shrink 4x; this tiny model's graph (~1 KB per quantized activation) keeps it near half.
    expect(manifest.files.int8!.bytes).toBeLessThan(manifest.files.float32!.bytes * 0.55);
    // No temporary folders left beside the bundle.
    expect(await readdir(root)).toEqual(['tiny']);
  });

  it('opens in the batch scorer, both variants', async () => {
    for (const variant of ['float32', 'int8'] as const) {
      const model = await openScoringBundle(bundleDir, variant, 1);
      expect(model.variant).toBe(variant);
      await model.session.release();
    }
  });
});

describe.skipIf(!hasRealData)('a tampered bundle is refused', () => {
  it('one flipped byte in the int8 model: hash_mismatch from the shared verifier and the scorer', async () => {
    const dir = await copyWith('flipped', async (d) => {
      const bytes = new Uint8Array(await readFile(join(d, 'model.int8.onnx')));
      const at = bytes.length >> 1;
      bytes[at] = bytes[at]! ^ 0x01;
      await writeFile(join(d, 'model.int8.onnx'), bytes);
    });
    expect(await refusal(verifyBundleDir(dir))).toBe('hash_mismatch');
    expect(await refusal(openScoringBundle(dir, 'int8', 1))).toBe('hash_mismatch');
    expect(await refusal(openScoringBundle(dir, 'auto', 1))).toBe('hash_mismatch');
    // The untouched variant still loads: each file is checked on its own.
    const float = await openScoringBundle(dir, 'float32', 1);
    await float.session.release();
  });

  it('a truncated float model: size_mismatch; a missing one: file_missing', async () => {
    const truncated = await copyWith('truncated', async (d) => {
      const bytes = await readFile(join(d, 'model.onnx'));
      await writeFile(join(d, 'model.onnx'), bytes.subarray(0, bytes.length - 1));
    });
    expect(await refusal(openScoringBundle(truncated, 'float32', 1))).toBe('size_mismatch');
    const missing = await copyWith('missing', (d) => rm(join(d, 'model.onnx')));
    expect(await refusal(verifyBundleDir(missing))).toBe('file_missing');
  });

  it('another preprocessing version: preprocess_mismatch', async () => {
    const dir = await copyWith('preprocess', async (d) => {
      const m = JSON.parse(await readFile(join(d, 'manifest.json'), 'utf8')) as {
        preprocess: { version: string };
      };
      m.preprocess.version = 'something-else-v0';
      await writeFile(join(d, 'manifest.json'), JSON.stringify(m));
    });
    expect(await refusal(verifyBundleDir(dir))).toBe('preprocess_mismatch');
    expect(await refusal(openScoringBundle(dir, 'int8', 1))).toBe('preprocess_mismatch');
  });
});

describe.skipIf(!hasRealData)('writeBundle', () => {
  const body = (m: BundleManifest) => {
    const { files, ...rest } = m;
    void files;
    return rest;
  };

  it('replaces a bundle whole and keeps files it does not own', async () => {
    const dir = join(root, 'replace');
    const models = {
      float32: new Uint8Array(await readFile(join(bundleDir, 'model.onnx'))),
      int8: new Uint8Array(await readFile(join(bundleDir, 'model.int8.onnx'))),
    };
    await writeBundle(dir, models, body(result.manifest));
    await mkdir(join(dir, 'samples'));
    await writeFile(join(dir, 'samples', 'clip.json'), '{}');
    await writeBundle(dir, { float32: models.float32 }, { ...body(result.manifest), modelId: 'second' });
    expect((await readdir(dir)).sort()).toEqual(['manifest.json', 'model.onnx', 'samples']);
    expect((await verifyBundleDir(dir)).modelId).toBe('second');
    expect(await readFile(join(dir, 'samples', 'clip.json'), 'utf8')).toBe('{}');
  });

  it('leaves the old bundle untouched when the new one fails verification', async () => {
    const dir = join(root, 'keep');
    const float32 = new Uint8Array(await readFile(join(bundleDir, 'model.onnx')));
    await writeBundle(dir, { float32 }, body(result.manifest));
    const before = await readFile(join(dir, 'manifest.json'));
    // A fallback sign outside the sign list: the written manifest does not parse, nothing is swapped in.
    const err = await writeBundle(dir, { float32 }, { ...body(result.manifest), fallbackSign: 'nope' }).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(BundleError);
    expect(await readFile(join(dir, 'manifest.json'))).toEqual(before);
    expect((await readdir(root)).filter((n) => n.startsWith('.'))).toEqual([]);
  });
});
