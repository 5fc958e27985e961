import { Hono } from 'hono';
import type { AppEnv } from '../bindings.ts';
import { ortWebVersion } from '../../shared/ort-web-session.ts';
import { getModel } from '../runtime/model-cache.ts';
import { ortWasmMemoryBytes } from '../runtime/ort-in-workerd.ts';

/**
 * GET /v1/model: what a client may know about the served model. Internals stay out: the training
 * config, the normalisation statistics and the training run's location.
 */
export const modelRoutes = new Hono<AppEnv>().get('/v1/model', async (c) => {
  const model = await getModel(c.env, c.get('config'));
  const m = model.manifest;
  return c.json({
    modelId: m.modelId,
    format: m.format,
    createdAt: m.createdAt,
    variant: model.variant,
    variants: Object.keys(m.files),
    file: { bytes: model.file.bytes, sha256: model.file.sha256 },
    inputs: m.inputs,
    outputs: m.outputs,
    preprocessVersion: m.preprocess.version,
    signCount: m.signs.length,
    fallbackSign: m.fallbackSign,
    metrics: m.metrics,
    // What it learned from: the invented signs of `npm run synth`, or real recordings; null when the bundle does not say.
    trainingData: m.training.synthetic === undefined ? null : m.training.synthetic ? 'synthetic' : 'real',
    runtime: {
      engine: 'onnxruntime-web',
      version: ortWebVersion(),
      backend: 'wasm-simd',
      threads: 1,
      wasmMemoryBytes: ortWasmMemoryBytes(),
    },
    source: model.source,
    load: model.load,
  });
});
