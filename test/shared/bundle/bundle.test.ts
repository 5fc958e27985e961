import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { TINY_FIXTURE, writeFixtureBundle } from '../../../src/batch/fixtures/fixture-bundle.ts';
import { BundleError } from '../../../src/shared/bundle/bundle-error.ts';
import type { BundleManifest } from '../../../src/shared/bundle/manifest.ts';
import { parseManifest, parseManifestBytes } from '../../../src/shared/bundle/parse-manifest.ts';
import { selectVariant } from '../../../src/shared/bundle/select-variant.ts';
import { sha256Hex } from '../../../src/shared/bundle/sha256.ts';
import { checkPreprocessVersion, verifyModelFile } from '../../../src/shared/bundle/verify-bundle.ts';
import { PREPROCESS_VERSION } from '../../../src/shared/preprocess/constants.ts';
import { neutralStats } from '../../../src/shared/preprocess/neutral-stats.ts';

const HASH = 'a'.repeat(64);

function manifest(edit: (m: Record<string, unknown>) => void = () => undefined): Record<string, unknown> {
  const m: Record<string, unknown> = {
    format: 'signcast-bundle/1',
    modelId: 'm',
    createdAt: '2026-01-01T00:00:00Z',
    files: {
      float32: { path: 'model.onnx', sha256: HASH, bytes: 10 },
      int8: { path: 'model.int8.onnx', sha256: HASH, bytes: 5 },
    },
    inputs: [{ name: 'frames', shape: ['batch', 64, 66, 3], dtype: 'float32' }],
    outputs: [{ name: 'probabilities', shape: ['batch', 2], dtype: 'float32' }],
    preprocess: { version: PREPROCESS_VERSION, stats: neutralStats() },
    signs: ['a', 'b'],
    fallbackSign: 'a',
    config: {},
    metrics: {},
    training: { run: 'runs/x' },
  };
  edit(m);
  return m;
}

function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(BundleError);
    return (err as BundleError).code;
  }
  throw new Error('expected a BundleError');
}

async function asyncCodeOf(promise: Promise<unknown>): Promise<string> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(BundleError);
  return (err as BundleError).code;
}

describe('bundle manifest', () => {
  it('accepts what the fixture writer produces', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'signcast-bundle-'));
    try {
      const written = await writeFixtureBundle(dir, TINY_FIXTURE);
      const parsed = parseManifestBytes(new Uint8Array(await readFile(join(dir, 'manifest.json'))));
      expect(parsed).toEqual(written);
      const bytes = new Uint8Array(await readFile(join(dir, parsed.files.int8!.path)));
      await verifyModelFile(parsed.files.int8!, bytes);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('refuses a wrong shape, naming the field', () => {
    const cases: [(m: Record<string, unknown>) => void, string][] = [
      [(m) => delete m['modelId'], 'modelId'],
      [(m) => (m['files'] = {}), 'files'],
      [(m) => (m['files'] = { int8: { path: '../model.onnx', sha256: HASH, bytes: 5 } }), 'files.int8.path'],
      [
        (m) => (m['files'] = { int8: { path: '/etc/model.onnx', sha256: HASH, bytes: 5 } }),
        'files.int8.path',
      ],
      [(m) => (m['files'] = { int8: { path: 'model.onnx', sha256: 'ABC', bytes: 5 } }), 'files.int8.sha256'],
      [(m) => (m['files'] = { int8: { path: 'model.onnx', sha256: HASH, bytes: 0 } }), 'files.int8.bytes'],
      [(m) => (m['inputs'] = [{ name: 'frames', shape: [0], dtype: 'float32' }]), 'inputs[0].shape[0]'],
      [(m) => (m['outputs'] = [{ name: 'p', shape: ['batch', 2], dtype: 'float16' }]), 'outputs[0].dtype'],
      [(m) => (m['signs'] = ['a', 'a']), 'signs[1]'],
      [(m) => (m['fallbackSign'] = 'z'), 'fallbackSign'],
      [(m) => (m['signs'] = ['a', 'b', 'c']), 'signs'],
      [(m) => (m['training'] = {}), 'training.run'],
      [(m) => (m['training'] = { run: 'runs/x', synthetic: 'yes' }), 'training.synthetic'],
    ];
    for (const [edit, field] of cases) {
      const bad = manifest(edit);
      expect(
        codeOf(() => parseManifest(bad)),
        field,
      ).toBe('manifest_invalid');
      expect(() => parseManifest(bad)).toThrow(field);
    }
  });

  it('tells an unknown format and non-JSON apart from a bad field', () => {
    expect(codeOf(() => parseManifest(manifest((m) => (m['format'] = 'signcast-bundle/2'))))).toBe(
      'format_unsupported',
    );
    expect(codeOf(() => parseManifestBytes(new TextEncoder().encode('{"format":')))).toBe('manifest_invalid');
    expect(codeOf(() => parseManifest([]))).toBe('manifest_invalid');
  });

  it('selects int8 first under auto, and refuses a missing variant', () => {
    const both = parseManifest(manifest());
    expect(selectVariant(both, 'auto').variant).toBe('int8');
    expect(selectVariant(both, 'float32').file.path).toBe('model.onnx');
    const floatOnly = parseManifest(
      manifest((m) => (m['files'] = { float32: { path: 'model.onnx', sha256: HASH, bytes: 10 } })),
    );
    expect(selectVariant(floatOnly, 'auto').variant).toBe('float32');
    expect(codeOf(() => selectVariant(floatOnly, 'int8'))).toBe('variant_missing');
  });

  it('refuses another preprocessing version', () => {
    const m = parseManifest(manifest());
    expect(() => checkPreprocessVersion(m)).not.toThrow();
    const old = { ...m, preprocess: { ...m.preprocess, version: 'baseline-66x64-v0' } } as BundleManifest;
    expect(codeOf(() => checkPreprocessVersion(old))).toBe('preprocess_mismatch');
  });
});

describe('model file verification (Web Crypto SHA-256)', () => {
  it('hashes like everyone else', async () => {
    expect(await sha256Hex(new TextEncoder().encode('abc'))).toBe(
      'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    );
  });

  it('refuses a wrong size before hashing, then a wrong hash', async () => {
    const bytes = new TextEncoder().encode('model bytes');
    const file = { path: 'model.onnx', sha256: await sha256Hex(bytes), bytes: bytes.length };
    await verifyModelFile(file, bytes);
    expect(await asyncCodeOf(verifyModelFile(file, bytes.subarray(1)))).toBe('size_mismatch');
    const flipped = bytes.slice();
    flipped[0]! ^= 1;
    expect(await asyncCodeOf(verifyModelFile(file, flipped))).toBe('hash_mismatch');
  });
});
