/**
 * The MediaPipe Holistic layout used by the Kaggle ASL-Signs files: every frame has 543 points in the
 * order face (468), left_hand (21), pose (33), right_hand (21), each with x, y, z.
 */
export const LANDMARK_TYPES = ['face', 'left_hand', 'pose', 'right_hand'] as const;
export type LandmarkType = (typeof LANDMARK_TYPES)[number];

export const LANDMARK_COUNTS: Readonly<Record<LandmarkType, number>> = {
  face: 468,
  left_hand: 21,
  pose: 33,
  right_hand: 21,
};

export const LANDMARK_OFFSETS: Readonly<Record<LandmarkType, number>> = {
  face: 0,
  left_hand: 468,
  pose: 489,
  right_hand: 522,
};

export const POINTS_PER_FRAME = 543;
export const COORDS = 3;
export const VALUES_PER_FRAME = POINTS_PER_FRAME * COORDS;

export function isLandmarkType(value: string): value is LandmarkType {
  return (LANDMARK_TYPES as readonly string[]).includes(value);
}
