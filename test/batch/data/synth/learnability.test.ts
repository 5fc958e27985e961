import { describe, expect, it } from 'vitest';
import { generateClip } from '../../../../src/batch/data/synth/generate-clip.ts';
import { makeSignSpecs } from '../../../../src/batch/data/synth/sign-spec.ts';
import { makeSigners } from '../../../../src/batch/data/synth/signer.ts';
import { clipFeatures, nearestCentroidAccuracy } from './clip-features.ts';

describe('synthetic signs are learnable', () => {
  it('a nearest-centroid rule on crude hand features recognises signs of unseen signers far above chance', () => {
    const SIGNS = 10;
    const signs = makeSignSpecs(SIGNS, 42);
    const signers = makeSigners(21, 42);
    const train: { x: number[]; y: number }[] = [];
    const test: { x: number[]; y: number }[] = [];
    for (let s = 0; s < SIGNS; s++) {
      for (let p = 0; p < 21; p++) {
        const sample = { x: clipFeatures(generateClip(signs[s]!, signers[p]!, s * 100 + p)), y: s };
        (p < 15 ? train : test).push(sample);
      }
    }
    const accuracy = nearestCentroidAccuracy(train, test);
    // Chance is 10%. The signers in `test` never appear in `train`.
    expect(accuracy).toBeGreaterThan(0.4);
    // Not trivially separable either: signer variation and noise cost something.
    expect(accuracy).toBeLessThan(1);
  });
});
