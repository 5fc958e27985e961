/**
 * One clip as a dense tensor: `data` is float32 [frameCount, 543, 3] (row-major), NaN where a landmark
 * is missing. `firstFrame` is the clip's own frame number of row 0 (real files start anywhere).
 */
export interface Clip {
  readonly frameCount: number;
  readonly firstFrame: number;
  readonly data: Float32Array;
}
