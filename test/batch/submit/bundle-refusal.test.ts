import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runSubmit, type SubmitOptions } from '../../../src/batch/submit/run-submit.ts';
import { BundleError } from '../../../src/shared/bundle/bundle-error.ts';
import { hasRealData } from '../../shared/real-files.ts';
import { copyFixtureBundle, makeRealDataDir } from './fixtures/data-dirs.ts';

const root = mkdtempSync(join(tmpdir(), 'signcast-submit-bundle-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let listing = '';
beforeAll(() => {
  listing = makeRealDataDir(join(root, 'data')).listing;
});

function options(modelDir: string, precision: SubmitOptions['precision'] = 'auto'): SubmitOptions {
  const out = join(root, 'out', 'submission.csv');
  return {
    dataDir: join(root, 'data'),
    csv: listing,
    modelDir,
    out,
    format: 'csv',
    top: 1,
    probs: false,
    precision,
    batch: 16,
    workers: 1,
    intraOpThreads: 1,
    evaluate: false,
  };
}

function editManifest(dir: string, edit: (m: Record<string, unknown>) => Record<string, unknown>): void {
  const path = join(dir, 'manifest.json');
  writeFileSync(
    path,
    JSON.stringify(edit(JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>)),
  );
}

describe.skipIf(!hasRealData)('runSubmit refuses a bundle it cannot trust', () => {
  it('refuses a model file whose bytes changed, and only that variant', async () => {
    const dir = copyFixtureBundle(join(root, 'tampered'));
    const model = readFileSync(join(dir, 'model.int8.onnx'));
    model[model.length >> 1]! ^= 0x01;
    writeFileSync(join(dir, 'model.int8.onnx'), model);
    const refusal = runSubmit(options(dir));
    await expect(refusal).rejects.toBeInstanceOf(BundleError);
    await expect(runSubmit(options(dir, 'int8'))).rejects.toMatchObject({ code: 'hash_mismatch' });
    await expect(runSubmit(options(dir))).rejects.toThrow(
      /model.int8.onnx has SHA-256 [0-9a-f]{64}, the manifest says/,
    );
    const float32 = await runSubmit(options(dir, 'float32'));
    expect(float32).toMatchObject({ status: 'complete', clips: 50, model: { variant: 'float32' } });
  });

  it('refuses a truncated or missing model file, another preprocessing version, and a missing manifest', async () => {
    const truncated = copyFixtureBundle(join(root, 'truncated'));
    writeFileSync(
      join(truncated, 'model.onnx'),
      readFileSync(join(truncated, 'model.onnx')).subarray(0, 1000),
    );
    await expect(runSubmit(options(truncated, 'float32'))).rejects.toMatchObject({ code: 'size_mismatch' });

    const missing = copyFixtureBundle(join(root, 'missing'));
    rmSync(join(missing, 'model.int8.onnx'));
    await expect(runSubmit(options(missing))).rejects.toMatchObject({ code: 'file_missing' });

    const preprocess = copyFixtureBundle(join(root, 'preprocess'));
    editManifest(preprocess, (m) => ({
      ...m,
      preprocess: { ...(m['preprocess'] as object), version: 'other-v9' },
    }));
    await expect(runSubmit(options(preprocess))).rejects.toMatchObject({ code: 'preprocess_mismatch' });

    const noVariant = copyFixtureBundle(join(root, 'no-variant'));
    editManifest(noVariant, (m) => ({
      ...m,
      files: { float32: (m['files'] as Record<string, unknown>)['float32'] },
    }));
    await expect(runSubmit(options(noVariant, 'int8'))).rejects.toMatchObject({ code: 'variant_missing' });

    await expect(runSubmit(options(join(root, 'nowhere')))).rejects.toMatchObject({
      code: 'manifest_missing',
    });
  });
});
