import * as ort from 'onnxruntime-node';
import type { ClipBatch, ModelRunner } from './model-runner.ts';
import { INPUT_FRAME_IDXS, INPUT_FRAMES, OUTPUT_PROBABILITIES, inputDims } from './model-runner.ts';

/** onnxruntime-node on the CPU, as `npm run submit` opens it (sequential, all graph optimizations). */
export async function openNodeRunner(model: Uint8Array, threads: number): Promise<ModelRunner> {
  const session = await ort.InferenceSession.create(model, {
    executionProviders: ['cpu'],
    intraOpNumThreads: threads,
    interOpNumThreads: 1,
    executionMode: 'sequential',
    graphOptimizationLevel: 'all',
  });
  return {
    runtime: 'onnxruntime-node',
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
