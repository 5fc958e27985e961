import type { Clip } from '../landmarks/clip.ts';
import { COORDS, LANDMARK_COUNTS, LANDMARK_OFFSETS, POINTS_PER_FRAME } from '../landmarks/layout.ts';

export type Hand = 'left' | 'right';

/**
 * 1 for each frame where the hand is present: any of its 21 points has any coordinate that is not
 * missing (readers turn nulls into NaN, and other writers' NaN stays NaN).
 */
export function handPresence(clip: Clip, hand: Hand): Uint8Array {
  const type = hand === 'left' ? 'left_hand' : 'right_hand';
  const start = LANDMARK_OFFSETS[type] * COORDS;
  const end = start + LANDMARK_COUNTS[type] * COORDS;
  const present = new Uint8Array(clip.frameCount);
  for (let f = 0; f < clip.frameCount; f++) {
    const base = f * POINTS_PER_FRAME * COORDS;
    for (let i = base + start; i < base + end; i++) {
      if (!Number.isNaN(clip.data[i]!)) {
        present[f] = 1;
        break;
      }
    }
  }
  return present;
}

/** The hand present in more frames; a tie (including no hand at all) goes to the left. */
export function chooseDominantHand(leftPresent: Uint8Array, rightPresent: Uint8Array): Hand {
  return countOnes(rightPresent) > countOnes(leftPresent) ? 'right' : 'left';
}

function countOnes(flags: Uint8Array): number {
  let n = 0;
  for (const flag of flags) n += flag;
  return n;
}
