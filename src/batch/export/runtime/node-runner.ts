import * as ort from 'onnxruntime-node';
import type { ModelRunner } from './model-runner.ts';
import { sessionRunner } from './model-runner.ts';

/** onnxruntime-node on the CPU, as `npm run submit` opens it (sequential, all graph optimizations). */
export async function openNodeRunner(model: Uint8Array, threads: number): Promise<ModelRunner> {
  const session = await ort.InferenceSession.create(model, {
    executionProviders: ['cpu'],
    intraOpNumThreads: threads,
    interOpNumThreads: 1,
    executionMode: 'sequential',
    graphOptimizationLevel: 'all',
  });
  return sessionRunner('onnxruntime-node', session, (data, dims) => new ort.Tensor('float32', data, dims));
}
