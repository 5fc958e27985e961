import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { verifyBundleDir } from '../../../src/batch/export/bundle/bundle-dir.ts';
import type { ExportedVariantMetrics } from '../../../src/batch/export/bundle/exported-metrics.ts';
import type { LabeledClips } from '../../../src/batch/export/evaluate/labeled-clips.ts';
import { runtimeParity } from '../../../src/batch/export/evaluate/runtime-parity.ts';
import { openNodeRunner, openWebRunner } from '../../../src/batch/export/runtime/model-runner.ts';
import type { BundleManifest, ModelVariant } from '../../../src/shared/bundle/manifest.ts';
import { hasRealData, REAL_DIR } from '../../shared/real-files.ts';
import { realClips } from './real-clips.ts';

/** The default bundle the Worker and `npm run submit` load out of the box. */
const BUNDLE = fileURLToPath(new URL('../../../models/demo/', import.meta.url));

let manifest: BundleManifest;
let clips: LabeledClips;

beforeAll(async () => {
  manifest = await verifyBundleDir(BUNDLE);
  if (hasRealData) clips = await realClips(8);
});

async function parity(variant: ModelVariant) {
  const bytes = new Uint8Array(await readFile(join(BUNDLE, manifest.files[variant]!.path)));
  const node = await openNodeRunner(bytes, 1);
  const web = await openWebRunner(bytes);
  try {
    return await runtimeParity(node, web, clips, clips.count);
  } finally {
    await node.release();
    await web.release();
  }
}

describe('the shipped demo bundle', () => {
  it("passes the loaders' checks and carries both variants with their measured figures", () => {
    expect(Object.keys(manifest.files).sort()).toEqual(['float32', 'int8']);
    const metrics = manifest.metrics as Record<ModelVariant, ExportedVariantMetrics>;
    for (const variant of ['float32', 'int8'] as const) {
      expect(metrics[variant].accuracy).toBeGreaterThan(0);
      expect(metrics[variant].latencyMs?.['onnxruntime-web-wasm']).toBeGreaterThan(0);
      expect(metrics[variant].latencyMs?.['onnxruntime-node']).toBeGreaterThan(0);
    }
    expect(metrics.int8.top1AgreementWithFloat32).toBeGreaterThan(0.9);
    expect(manifest.files.int8!.bytes).toBeLessThan(40e6);
  });

  it.skipIf(!hasRealData)('knows invented synthetic signs only, never the real Kaggle sign names', () => {
    const real = Object.keys(
      JSON.parse(readFileSync(join(REAL_DIR, 'sign_to_prediction_index_map.json'), 'utf8')) as Record<
        string,
        number
      >,
    );
    expect(manifest.signs).toHaveLength(250);
    expect(manifest.signs.filter((s) => real.includes(s))).toEqual([]);
  });

  it.skipIf(!hasRealData)(
    'float32: onnxruntime-node and onnxruntime-web give the same probabilities within 1e-4 on real clips',
    async () => {
      const p = await parity('float32');
      expect(p.clips).toBe(8);
      expect(p.maxAbsDiff).toBeLessThan(1e-4);
      expect(p.top1Agreement).toBe(1);
    },
  );

  it.skipIf(!hasRealData)(
    'int8: onnxruntime-node and onnxruntime-web give the same top-1 on real clips',
    async () => {
      const p = await parity('int8');
      expect(p.clips).toBe(8);
      expect(p.top1Agreement).toBe(1);
    },
  );
});
