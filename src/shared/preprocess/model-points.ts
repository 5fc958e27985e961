import { LANDMARK_OFFSETS } from '../landmarks/layout.ts';
import { LEFT_ARM_POSE_IDXS, LIPS_IDXS, N_HAND, N_POINTS, RIGHT_ARM_POSE_IDXS } from './constants.ts';
import type { Hand } from './dominant-hand.ts';

/**
 * For each of the 66 model points, its index among the clip's 543 points: the 40 lip points, the
 * dominant hand's 21 points, then the dominant arm's 5 pose points. A right-dominant clip takes the
 * right hand and right arm; mirroring x afterwards puts them where a left-dominant signer's would be.
 */
export function modelPointIndices(hand: Hand): Int32Array {
  const handOffset = hand === 'left' ? LANDMARK_OFFSETS.left_hand : LANDMARK_OFFSETS.right_hand;
  const armIdxs = hand === 'left' ? LEFT_ARM_POSE_IDXS : RIGHT_ARM_POSE_IDXS;
  const indices = [
    ...LIPS_IDXS.map((i) => LANDMARK_OFFSETS.face + i),
    ...Array.from({ length: N_HAND }, (_, i) => handOffset + i),
    ...armIdxs.map((i) => LANDMARK_OFFSETS.pose + i),
  ];
  if (indices.length !== N_POINTS)
    throw new Error(`model layout has ${indices.length} points, expected ${N_POINTS}`);
  return Int32Array.from(indices);
}
