/**
 * What the model takes for one clip (see preprocessClip). Batched, these become the model contract's
 * two inputs (../bundle/model-contract.ts).
 */
export interface ModelInputs {
  /** float32 [INPUT_SIZE, N_POINTS, N_COORDS] = [64, 66, 3], row-major; 0 for missing and padding. */
  readonly frames: Float32Array;
  /** float32 [INPUT_SIZE]: each output frame's (mean) position in the clip from the first kept frame; -1 for padding. */
  readonly nonEmptyFrameIdxs: Float32Array;
}
