import * as ort from 'onnxruntime-node';
import { MODEL_OUTPUT, modelFeeds } from '../../../shared/bundle/model-contract.ts';
import { openWebSession, webTensor } from '../../../shared/ort-web-session.ts';
import { openSession } from '../../onnx/ort-session.ts';

/** Where a bundle's model runs: the batch scorer's runtime and the Worker's, measured side by side. */
export type RuntimeName = 'onnxruntime-node' | 'onnxruntime-web-wasm';

/** A batch of preprocessed clips, laid out as the model contract's inputs. */
export interface ClipBatch {
  /** [batch, INPUT_SIZE, N_POINTS, N_COORDS] row-major. */
  readonly frames: Float32Array;
  /** [batch, INPUT_SIZE]; -1 marks padding. */
  readonly nonEmptyFrameIdxs: Float32Array;
  readonly batch: number;
}

/** One open inference session on one model, behind the same call for both runtimes. */
export interface ModelRunner {
  readonly runtime: RuntimeName;
  /** Probabilities [batch, classes], row-major. */
  run(clips: ClipBatch): Promise<Float32Array>;
  release(): Promise<void>;
}

/** What both onnxruntime packages' InferenceSession offer (they share onnxruntime-common's API). */
interface Session<T> {
  run(feeds: Record<string, T>): Promise<Record<string, { readonly data: unknown }>>;
  release(): Promise<void>;
}

function sessionRunner<T>(
  runtime: RuntimeName,
  session: Session<T>,
  tensor: (data: Float32Array, dims: readonly number[]) => T,
): ModelRunner {
  return {
    runtime,
    async run(clips: ClipBatch) {
      const out = await session.run(modelFeeds(clips.frames, clips.nonEmptyFrameIdxs, clips.batch, tensor));
      const probabilities = out[MODEL_OUTPUT];
      if (probabilities === undefined) throw new Error(`the model has no ${MODEL_OUTPUT} output`);
      return probabilities.data as Float32Array;
    },
    release: () => session.release(),
  };
}

/** onnxruntime-node on the CPU (the `latency` session preset), `threads` intra-op threads. */
export async function openNodeRunner(model: Uint8Array, threads: number): Promise<ModelRunner> {
  const session = await openSession(model, { preset: 'latency', threads });
  return sessionRunner('onnxruntime-node', session, (data, dims) => new ort.Tensor('float32', data, dims));
}

/**
 * onnxruntime-web's WASM build (SIMD, one thread), loaded in Node: the same engine the Worker runs in
 * workerd, so its latency and answers here stand for the Worker's inference.
 */
export async function openWebRunner(model: Uint8Array): Promise<ModelRunner> {
  return sessionRunner('onnxruntime-web-wasm', await openWebSession(model), webTensor);
}
