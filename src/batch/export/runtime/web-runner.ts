import * as ort from 'onnxruntime-web';
import type { ClipBatch, ModelRunner } from './model-runner.ts';
import { INPUT_FRAME_IDXS, INPUT_FRAMES, OUTPUT_PROBABILITIES, inputDims } from './model-runner.ts';

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
  return {
    runtime: 'onnxruntime-web-wasm',
    async run(clips: ClipBatch) {
      const dims = inputDims(clips);
      const out = await session.run({
        [INPUT_FRAMES]: new ort.Tensor('float32', clips.frames, dims.frames),
        [INPUT_FRAME_IDXS]: new ort.Tensor('float32', clips.nonEmptyFrameIdxs, dims.idxs),
      });
      const probabilities = out[OUTPUT_PROBABILITIES];
      if (probabilities === undefined) throw new Error(`the model has no ${OUTPUT_PROBABILITIES} output`);
      return probabilities.data as Float32Array;
    },
    release: () => session.release(),
  };
}
