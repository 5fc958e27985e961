import { N_COORDS, N_POINTS } from '../../../shared/preprocess/constants.ts';

/** Where a bundle's model runs: the batch scorer's runtime and the Worker's, measured side by side. */
export type RuntimeName = 'onnxruntime-node' | 'onnxruntime-web-wasm';

/** A batch of preprocessed clips, in the layout the model's inputs take. */
export interface ClipBatch {
  /** [batch, frames, N_POINTS, N_COORDS] row-major. */
  readonly frames: Float32Array;
  /** [batch, frames]; -1 marks padding. */
  readonly nonEmptyFrameIdxs: Float32Array;
  readonly batch: number;
  readonly frameCount: number;
}

/** One open inference session on one model, behind the same call for both runtimes. */
export interface ModelRunner {
  readonly runtime: RuntimeName;
  /** Probabilities [batch, classes], row-major. */
  run(clips: ClipBatch): Promise<Float32Array>;
  release(): Promise<void>;
}

export const INPUT_FRAMES = 'frames';
export const INPUT_FRAME_IDXS = 'non_empty_frame_idxs';
export const OUTPUT_PROBABILITIES = 'probabilities';

/** What both onnxruntime packages' InferenceSession offer (they share onnxruntime-common's API). */
interface Session<T> {
  run(feeds: Record<string, T>): Promise<Record<string, { readonly data: unknown }>>;
  release(): Promise<void>;
}

/** A ModelRunner over an open session of either runtime; `tensor` makes that runtime's float32 tensor. */
export function sessionRunner<T>(
  runtime: RuntimeName,
  session: Session<T>,
  tensor: (data: Float32Array, dims: readonly number[]) => T,
): ModelRunner {
  return {
    runtime,
    async run(clips: ClipBatch) {
      const out = await session.run({
        [INPUT_FRAMES]: tensor(clips.frames, [clips.batch, clips.frameCount, N_POINTS, N_COORDS]),
        [INPUT_FRAME_IDXS]: tensor(clips.nonEmptyFrameIdxs, [clips.batch, clips.frameCount]),
      });
      const probabilities = out[OUTPUT_PROBABILITIES];
      if (probabilities === undefined) throw new Error(`the model has no ${OUTPUT_PROBABILITIES} output`);
      return probabilities.data as Float32Array;
    },
    release: () => session.release(),
  };
}
