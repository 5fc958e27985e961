import { COORDS, LANDMARK_COUNTS, LANDMARK_OFFSETS, VALUES_PER_FRAME, type LandmarkType } from './layout.ts';

/** A landmark as MediaPipe Tasks reports it; `visibility` and `presence` have no place in the Kaggle layout. */
export interface HolisticPoint {
  readonly x: number;
  readonly y: number;
  readonly z: number;
}

type PerPerson = readonly (readonly HolisticPoint[])[];

/**
 * The normalized-image landmarks of a `HolisticLandmarkerResult` from `@mediapipe/tasks-vision`
 * (structurally: the real result type is assignable to this). Each part holds one list per detected
 * person, at most one here, and is empty when that part was not found in the frame.
 */
export interface HolisticLandmarks {
  readonly faceLandmarks: PerPerson;
  readonly leftHandLandmarks: PerPerson;
  readonly poseLandmarks: PerPerson;
  readonly rightHandLandmarks: PerPerson;
}

const PARTS: readonly (readonly [LandmarkType, keyof HolisticLandmarks])[] = [
  ['face', 'faceLandmarks'],
  ['left_hand', 'leftHandLandmarks'],
  ['pose', 'poseLandmarks'],
  ['right_hand', 'rightHandLandmarks'],
];

/**
 * One HolisticLandmarker result -> one frame of the Kaggle layout: 543 points x (x, y, z), NaN where a
 * part was not detected, as every landmark reader leaves a missing point. A face may come with 10 iris
 * points after the 468 of the mesh (the refined face model has them); the Kaggle files have none, so
 * only the first 468 are kept. Hands keep MediaPipe's names: both the legacy Holistic
 * solution that made the Kaggle files and HolisticLandmarker name each hand from the wrist of the
 * pose on that side, so the video must be fed unmirrored (mirror only what is shown).
 *
 * Writes into `out` when given (a frame of a sliding window, say) and returns it. A detected part with
 * fewer points than the layout needs is a broken result, not a missing part: it throws.
 */
export function kaggleFrameFromHolistic(
  result: HolisticLandmarks,
  out: Float32Array = new Float32Array(VALUES_PER_FRAME),
): Float32Array {
  if (out.length !== VALUES_PER_FRAME) {
    throw new RangeError(`a Kaggle frame holds ${VALUES_PER_FRAME} values, the buffer ${out.length}`);
  }
  for (const [type, key] of PARTS) {
    const start = LANDMARK_OFFSETS[type] * COORDS;
    const count = LANDMARK_COUNTS[type];
    const points = result[key][0];
    if (points === undefined || points.length === 0) {
      out.fill(NaN, start, start + count * COORDS);
      continue;
    }
    if (points.length < count) {
      throw new RangeError(`${key}[0] has ${points.length} landmarks; the ${type} layout needs ${count}`);
    }
    for (let i = 0; i < count; i++) {
      const point = points[i]!;
      const at = start + i * COORDS;
      out[at] = point.x;
      out[at + 1] = point.y;
      out[at + 2] = point.z;
    }
  }
  return out;
}
