import { describe, expect, it } from 'vitest';
import { encodeLandmarkParquet } from '../../../../src/batch/data/kaggle/write-landmark-parquet.ts';
import { generateClip } from '../../../../src/batch/data/synth/generate-clip.ts';
import { makeSignSpecs } from '../../../../src/batch/data/synth/sign-spec.ts';
import { makeSigners } from '../../../../src/batch/data/synth/signer.ts';
import { readLandmarkParquet } from '../../../../src/shared/landmarks/read-parquet.ts';

describe('synthetic files through the project reader', () => {
  it('decode to exactly the generated clip', async () => {
    const signs = makeSignSpecs(6, 3);
    const signers = makeSigners(6, 3);
    for (let i = 0; i < 6; i++) {
      const clip = generateClip(signs[i]!, signers[i]!, 500 + i);
      const read = await readLandmarkParquet(encodeLandmarkParquet(clip), `synthetic clip ${i}`);
      expect(read.frameCount).toBe(clip.frameCount);
      expect(read.firstFrame).toBe(clip.firstFrame);
      // toEqual treats NaN as equal to NaN, so missing landmarks must line up too.
      expect(read.data).toEqual(clip.data);
    }
  });
});
