import { describe, expect, it } from 'vitest';
import { call } from './fixtures.ts';

describe('GET routes', () => {
  it('/v1/signs lists the signs in prediction order', async () => {
    const res = await call('/v1/signs');
    expect(res.status).toBe(200);
    const body = (await res.json()) as { modelId: string; count: number; signs: string[] };
    expect(body.modelId).toBe('fixture-tiny');
    expect(body.count).toBe(250);
    expect(body.signs).toHaveLength(250);
    expect(body.signs.slice(0, 2)).toEqual(['sign-000', 'sign-001']);
  });

  it('/v1/model describes the model without its internals', async () => {
    const body = (await (await call('/v1/model')).json()) as Record<string, unknown>;
    expect(body).toMatchObject({
      modelId: 'fixture-tiny',
      format: 'signcast-bundle/1',
      variant: 'int8',
      variants: ['float32', 'int8'],
      preprocessVersion: 'baseline-66x64-v1',
      signCount: 250,
      fallbackSign: 'sign-000',
      runtime: { engine: 'onnxruntime-web', backend: 'wasm-simd', threads: 1 },
      source: 'assets',
    });
    expect(body['inputs']).toEqual([
      { name: 'frames', shape: ['batch', 64, 66, 3], dtype: 'float32' },
      { name: 'non_empty_frame_idxs', shape: ['batch', 64], dtype: 'float32' },
    ]);
    // The WASM heap is most of the isolate's memory; the limit is 128 MB.
    const heap = (body['runtime'] as { wasmMemoryBytes: number }).wasmMemoryBytes;
    expect(heap).toBeGreaterThan(1 << 20);
    expect(heap).toBeLessThan(128 << 20);
    const load = body['load'] as Record<string, number>;
    for (const key of ['readMs', 'verifyMs', 'sessionMs', 'totalMs'])
      expect(load[key]).toBeGreaterThanOrEqual(0);
    // The fixture's manifest does not say what it was trained on.
    expect(body['trainingData']).toBeNull();
    for (const internal of ['config', 'preprocess', 'training', 'signs', 'files'])
      expect(body).not.toHaveProperty(internal);
  });

  it('/healthz answers without loading a model, then reports the loaded one', async () => {
    const cold = (await (await call('/healthz', {}, { MODEL_NAME: 'never-loaded' })).json()) as unknown;
    expect(cold).toEqual({ status: 'ok', model: { state: 'not_loaded' } });
    await call('/v1/signs');
    const warm = (await (await call('/healthz')).json()) as unknown;
    expect(warm).toEqual({
      status: 'ok',
      model: { state: 'loaded', modelId: 'fixture-tiny', variant: 'int8' },
    });
  });
});
