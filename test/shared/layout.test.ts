import { describe, expect, it } from 'vitest';
import {
  LANDMARK_COUNTS,
  LANDMARK_OFFSETS,
  LANDMARK_TYPES,
  POINTS_PER_FRAME,
} from '../../src/shared/landmarks/layout.ts';
import { LIPS_IDXS, N_POINTS } from '../../src/shared/preprocess/constants.ts';

describe('landmark layout', () => {
  it('types tile the 543 points in Kaggle order', () => {
    let next = 0;
    for (const t of LANDMARK_TYPES) {
      expect(LANDMARK_OFFSETS[t]).toBe(next);
      next += LANDMARK_COUNTS[t];
    }
    expect(next).toBe(POINTS_PER_FRAME);
  });
  it('lips are 40 distinct face points and the model sees 66 points', () => {
    expect(new Set(LIPS_IDXS).size).toBe(40);
    expect(N_POINTS).toBe(66);
  });
});
