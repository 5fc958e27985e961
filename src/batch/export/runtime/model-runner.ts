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

export function inputDims(clips: ClipBatch): { frames: number[]; idxs: number[] } {
  return {
    frames: [clips.batch, clips.frameCount, N_POINTS, N_COORDS],
    idxs: [clips.batch, clips.frameCount],
  };
}
