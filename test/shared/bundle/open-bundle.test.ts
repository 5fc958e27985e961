import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { openSession } from '../../../src/batch/onnx/ort-session.ts';
import { BundleError } from '../../../src/shared/bundle/bundle-error.ts';
import type { BundleManifest } from '../../../src/shared/bundle/manifest.ts';
import {
  FRAME_VALUES,
  IDX_VALUES,
  MODEL_INPUT_SPECS,
  MODEL_OUTPUT,
  modelFeeds,
  modelOutputSpec,
} from '../../../src/shared/bundle/model-contract.ts';
import { openBundle, type BundleSource } from '../../../src/shared/bundle/open-bundle.ts';
import { sha256Hex } from '../../../src/shared/bundle/sha256.ts';
import { openWebSession } from '../../../src/shared/ort-web-session.ts';

const FIXTURE = resolve('models/fixture-tiny');

/** The fixture bundle's files in memory, each replaceable: the way the Worker's sources hand them over. */
async function memorySource(
  edit: (files: Map<string, Uint8Array>) => void | Promise<void> = () => undefined,
): Promise<BundleSource> {
  const files = new Map<string, Uint8Array>();
  for (const name of ['manifest.json', 'model.onnx', 'model.int8.onnx'])
    files.set(name, new Uint8Array(readFileSync(join(FIXTURE, name))));
  const source: BundleSource = {
    location: 'memory:fixture-tiny/',
    read: async (path) => files.get(path) ?? null,
  };
  await edit(files);
  return source;
}

function manifestOf(files: Map<string, Uint8Array>): BundleManifest {
  return JSON.parse(new TextDecoder().decode(files.get('manifest.json'))) as BundleManifest;
}

function withManifest(files: Map<string, Uint8Array>, manifest: BundleManifest): void {
  files.set('manifest.json', new TextEncoder().encode(JSON.stringify(manifest)));
}

/** Replaces a variant's file and records its true size and hash, so only what comes after is tested. */
async function replaceModel(files: Map<string, Uint8Array>, variant: 'float32' | 'int8', bytes: Uint8Array) {
  const m = manifestOf(files);
  const file = m.files[variant]!;
  files.set(file.path, bytes);
  withManifest(files, {
    ...m,
    files: { ...m.files, [variant]: { ...file, bytes: bytes.length, sha256: await sha256Hex(bytes) } },
  });
}

const nodeSession = (bytes: Uint8Array) => openSession(bytes, { preset: 'scoring', threads: 1 });

async function refusal(promise: Promise<unknown>): Promise<BundleError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(BundleError);
  return err as BundleError;
}

describe('the model contract', () => {
  it('is what the fixture bundle declares and its models take', async () => {
    const manifest = JSON.parse(readFileSync(join(FIXTURE, 'manifest.json'), 'utf8')) as BundleManifest;
    expect(manifest.inputs).toEqual(MODEL_INPUT_SPECS);
    expect(manifest.outputs).toEqual([modelOutputSpec(manifest.signs.length)]);
    expect(MODEL_INPUT_SPECS).toEqual([
      { name: 'frames', shape: ['batch', 64, 66, 3], dtype: 'float32' },
      { name: 'non_empty_frame_idxs', shape: ['batch', 64], dtype: 'float32' },
    ]);

    const session = await nodeSession(new Uint8Array(readFileSync(join(FIXTURE, 'model.onnx'))));
    const frames = new Float32Array(3 * FRAME_VALUES).fill(0.5);
    const idxs = Float32Array.from({ length: 3 * IDX_VALUES }, (_, i) => (i % IDX_VALUES < 5 ? i % 5 : -1));
    // Longer buffers are cut to the batch, as the scorer's reused ones are.
    const feeds = modelFeeds(frames, idxs, 2, (data, dims) => new ort.Tensor('float32', data, dims));
    expect(feeds['frames']!.dims).toEqual([2, 64, 66, 3]);
    expect(feeds['non_empty_frame_idxs']!.dims).toEqual([2, 64]);
    const { dims, data } = (await session.run(feeds))[MODEL_OUTPUT]!;
    expect(dims).toEqual([2, manifest.signs.length]);
    expect((data as Float32Array).slice(0, manifest.signs.length).reduce((a, b) => a + b, 0)).toBeCloseTo(
      1,
      5,
    );
    await session.release();
  });
});

describe('openBundle', () => {
  it("opens the chosen variant with the caller's runtime, onnxruntime-node and -web alike", async () => {
    const source = await memorySource();
    const node = await openBundle(source, 'auto', nodeSession);
    expect(node).toMatchObject({
      variant: 'int8',
      outputName: MODEL_OUTPUT,
      file: { path: 'model.int8.onnx' },
    });
    expect(node.manifest.modelId).toBe('fixture-tiny');
    expect(node.timings.totalMs).toBeGreaterThanOrEqual(node.timings.sessionMs);
    await node.session.release();
    const web = await openBundle(source, 'float32', (bytes) => openWebSession(bytes));
    expect(web.variant).toBe('float32');
    expect(web.session.inputNames).toEqual(['frames', 'non_empty_frame_idxs']);
    await web.session.release();
  });

  it('refuses what is missing, naming where it looked', async () => {
    const noManifest = await memorySource((files) => void files.delete('manifest.json'));
    const missing = await refusal(openBundle(noManifest, 'auto', nodeSession));
    expect(missing.code).toBe('manifest_missing');
    expect(missing.message).toContain('memory:fixture-tiny/');
    const noModel = await memorySource((files) => void files.delete('model.int8.onnx'));
    expect((await refusal(openBundle(noModel, 'int8', nodeSession))).code).toBe('file_missing');
    // Only the requested variant is read.
    const float32 = await openBundle(noModel, 'float32', nodeSession);
    await float32.session.release();
  });

  it('refuses changed bytes before any session is opened', async () => {
    let opened = 0;
    const counting = (bytes: Uint8Array) => {
      opened++;
      return nodeSession(bytes);
    };
    const flipped = await memorySource((files) => {
      const bytes = files.get('model.int8.onnx')!.slice();
      bytes[bytes.length >> 1]! ^= 1;
      files.set('model.int8.onnx', bytes);
    });
    expect((await refusal(openBundle(flipped, 'int8', counting))).code).toBe('hash_mismatch');
    const cut = await memorySource((files) => {
      files.set('model.onnx', files.get('model.onnx')!.subarray(1));
    });
    expect((await refusal(openBundle(cut, 'float32', counting))).code).toBe('size_mismatch');
    expect(opened).toBe(0);
  });

  it('turns a model the runtime refuses into model_load_failed, and lets its own refusals through', async () => {
    const garbage = await memorySource((files) =>
      replaceModel(files, 'int8', new TextEncoder().encode('not an onnx model')),
    );
    const failed = await refusal(openBundle(garbage, 'int8', nodeSession));
    expect(failed.code).toBe('model_load_failed');
    expect(failed.message).toMatch(/^model\.int8\.onnx \(int8\) cannot be loaded: /);
    expect(failed.cause).toBeInstanceOf(Error);

    const source = await memorySource();
    const unavailable = new BundleError('ort_unavailable', 'the runtime did not start');
    expect(await refusal(openBundle(source, 'auto', () => Promise.reject(unavailable)))).toBe(unavailable);
  });

  it("refuses, and releases, a session without the contract's inputs or the manifest's output", async () => {
    const released: string[] = [];
    const watched = async (bytes: Uint8Array) => {
      const session = await nodeSession(bytes);
      const release = session.release.bind(session);
      return Object.assign(session, {
        release: async () => {
          released.push(session.outputNames.join());
          await release();
        },
      });
    };
    const otherOutput = await memorySource((files) => {
      const m = manifestOf(files);
      withManifest(files, { ...m, outputs: [{ ...m.outputs[0]!, name: 'logits' }] });
    });
    const err = await refusal(openBundle(otherOutput, 'float32', watched));
    expect(err.code).toBe('model_contract_mismatch');
    expect(err.message).toContain('lacks output logits');
    expect(released).toEqual(['probabilities']);
  });
});
