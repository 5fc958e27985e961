import * as ort from 'onnxruntime-web';
import type { ModelRunner } from './model-runner.ts';
import { sessionRunner } from './model-runner.ts';

/**
 * onnxruntime-web's WASM build (SIMD, one thread), loaded in Node: the same engine the Worker runs in
 * workerd, so its latency and answers here stand for the Worker's inference.
 */
export async function openWebRunner(model: Uint8Array): Promise<ModelRunner> {
  // Global to the WASM runtime, read when it first starts: one thread, as in workerd.
  ort.env.wasm.numThreads = 1;
  const session = await ort.InferenceSession.create(model, {
    executionProviders: ['wasm'],
    graphOptimizationLevel: 'all',
  });
  return sessionRunner(
    'onnxruntime-web-wasm',
    session,
    (data, dims) => new ort.Tensor('float32', data, dims),
  );
}
