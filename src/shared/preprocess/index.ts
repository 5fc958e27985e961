export {
  GROUPS,
  GROUP_NAMES,
  INPUT_SIZE,
  LEFT_ARM_POSE_IDXS,
  LIPS_IDXS,
  N_COORDS,
  N_HAND,
  N_LIPS,
  N_POINTS,
  N_POSE,
  PREPROCESS_VERSION,
  RIGHT_ARM_POSE_IDXS,
  type GroupName,
} from './constants.ts';
export type { GroupStats, NormalizationStats } from './stats.ts';
export type { ModelInputs } from './model-inputs.ts';
export { preprocessClip, keptFramePositions } from './preprocess.ts';
export { chooseDominantHand, handPresence, type Hand } from './dominant-hand.ts';
export { modelPointIndices } from './model-points.ts';
export { frameWindow } from './frame-windows.ts';
export { StatsAccumulator, type StatsAccumulatorState } from './stats-accumulator.ts';
export { neutralStats } from './neutral-stats.ts';
export { validateStats } from './validate-stats.ts';
export { StatsError, type StatsErrorCode } from './errors.ts';
