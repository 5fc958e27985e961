/** The baseline's model-input layout: 64 frames of 66 points (40 lips, 21 dominant hand, 5 arm pose). */
export const INPUT_SIZE = 64;

/** Face-mesh indices of the 40 lip points, in the baseline's order. */
export const LIPS_IDXS: readonly number[] = [
  61, 185, 40, 39, 37, 0, 267, 269, 270, 409, 291, 146, 91, 181, 84, 17, 314, 405, 321, 375, 78, 191, 80, 81,
  82, 13, 312, 311, 310, 415, 95, 88, 178, 87, 14, 317, 402, 318, 324, 308,
];

/** Pose indices of the dominant arm (elbow, wrist, pinky, index, thumb). */
export const LEFT_ARM_POSE_IDXS: readonly number[] = [13, 15, 17, 19, 21];
export const RIGHT_ARM_POSE_IDXS: readonly number[] = [14, 16, 18, 20, 22];

export const N_LIPS = 40;
export const N_HAND = 21;
export const N_POSE = 5;
export const N_POINTS = N_LIPS + N_HAND + N_POSE; // 66
export const N_COORDS = 3;

/** Point ranges of each group inside the 66-point layout. */
export const GROUPS = {
  lips: { start: 0, count: N_LIPS },
  hand: { start: N_LIPS, count: N_HAND },
  pose: { start: N_LIPS + N_HAND, count: N_POSE },
} as const;
export type GroupName = keyof typeof GROUPS;
export const GROUP_NAMES: readonly GroupName[] = ['lips', 'hand', 'pose'];

/** Bumped whenever preprocessing changes what it outputs: bundles record it and loaders compare. */
export const PREPROCESS_VERSION = 'baseline-66x64-v1';
