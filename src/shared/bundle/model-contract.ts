/**
 * The deployed model's contract: what preprocessing feeds it and what every loader reads back. The
 * graph builders name their inputs and output from here, the export records these specs in the
 * manifest, and the Worker, `npm run submit` and the export's runners feed and check models by them.
 */
import { INPUT_SIZE, N_COORDS, N_POINTS } from '../preprocess/constants.ts';
import type { TensorSpec } from './manifest.ts';

export const MODEL_INPUT = {
  /** float32 [batch, INPUT_SIZE, N_POINTS, N_COORDS]: the 66 model points per frame, 0 where missing. */
  frames: 'frames',
  /** float32 [batch, INPUT_SIZE]: each frame's position in the clip, -1 for padding. */
  nonEmptyFrameIdxs: 'non_empty_frame_idxs',
} as const;

/** float32 [batch, classes]: the softmax over the manifest's signs, in their order. */
export const MODEL_OUTPUT = 'probabilities';

/** The symbolic batch dimension of every input and the output. */
export const BATCH_DIM = 'batch';

/** Values of one clip's `frames` input (64 x 66 x 3) and `non_empty_frame_idxs` input (64). */
export const FRAME_VALUES = INPUT_SIZE * N_POINTS * N_COORDS;
export const IDX_VALUES = INPUT_SIZE;

export function framesShape<D extends number | string>(batch: D): [D, number, number, number] {
  return [batch, INPUT_SIZE, N_POINTS, N_COORDS];
}

export function frameIdxsShape<D extends number | string>(batch: D): [D, number] {
  return [batch, INPUT_SIZE];
}

/** The manifest's `inputs`. */
export const MODEL_INPUT_SPECS: readonly TensorSpec[] = [
  { name: MODEL_INPUT.frames, shape: framesShape(BATCH_DIM), dtype: 'float32' },
  { name: MODEL_INPUT.nonEmptyFrameIdxs, shape: frameIdxsShape(BATCH_DIM), dtype: 'float32' },
];

/** The manifest's `outputs[0]` for a model of `classes` signs. */
export function modelOutputSpec(classes: number): TensorSpec {
  return { name: MODEL_OUTPUT, shape: [BATCH_DIM, classes], dtype: 'float32' };
}

/**
 * The feeds for `batch` preprocessed clips laid end to end in `frames` and `idxs` (longer buffers are
 * cut to the batch); `tensor` makes a float32 tensor of the runtime at hand (onnxruntime-node or -web).
 */
export function modelFeeds<T>(
  frames: Float32Array,
  idxs: Float32Array,
  batch: number,
  tensor: (data: Float32Array, dims: readonly number[]) => T,
): Record<string, T> {
  return {
    [MODEL_INPUT.frames]: tensor(frames.subarray(0, batch * FRAME_VALUES), framesShape(batch)),
    [MODEL_INPUT.nonEmptyFrameIdxs]: tensor(idxs.subarray(0, batch * IDX_VALUES), frameIdxsShape(batch)),
  };
}

/** What an open session lacks of the contract's inputs and of `outputName` (empty: it fits). */
export function contractGaps(
  session: { readonly inputNames: readonly string[]; readonly outputNames: readonly string[] },
  outputName: string,
): string[] {
  const gaps: string[] = Object.values(MODEL_INPUT).filter((name) => !session.inputNames.includes(name));
  if (!session.outputNames.includes(outputName)) gaps.push(`output ${outputName}`);
  return gaps;
}
