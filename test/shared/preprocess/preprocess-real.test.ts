import { beforeAll, describe, expect, it } from 'vitest';
import { readLandmarkParquet } from '../../../src/shared/landmarks/read-parquet.ts';
import type { ModelInputs } from '../../../src/shared/preprocess/model-inputs.ts';
import { preprocessClip } from '../../../src/shared/preprocess/preprocess-clip.ts';
import { hasRealData, readRealFile, realFileFacts, type RealFileFacts } from '../real-files.ts';

const facts = hasRealData ? realFileFacts() : [];
const inputs = new Map<string, ModelInputs>();

beforeAll(async () => {
  for (const fact of facts)
    inputs.set(fact.path, preprocessClip(await readLandmarkParquet(readRealFile(fact.path), fact.path)));
});

/**
 * Kept frames predicted from FILES.tsv alone: MediaPipe drops a hand whole, so a hand's null-row
 * fraction is the fraction of frames without it; the dominant hand is the one null less often.
 */
function expectedKeptFrames(fact: RealFileFacts): { kept: number; rightDominant: boolean } {
  const rightDominant = fact.nullFraction.right_hand < fact.nullFraction.left_hand;
  const missing = rightDominant ? fact.nullFraction.right_hand : fact.nullFraction.left_hand;
  const present = Math.round(fact.frames * (1 - missing));
  return { kept: present === 0 ? fact.frames : present, rightDominant };
}

describe.skipIf(!hasRealData)('preprocessClip on every real file', () => {
  it('covers clips of both dominant hands, padded and pooled', () => {
    const kinds = facts.map(expectedKeptFrames);
    expect(kinds.some((k) => k.rightDominant)).toBe(true);
    expect(kinds.some((k) => !k.rightDominant)).toBe(true);
    expect(kinds.some((k) => k.kept < 64)).toBe(true);
    expect(kinds.some((k) => k.kept >= 64)).toBe(true);
  });

  it.each(facts.map((f) => [f.path, f] as const))('%s', (path, fact) => {
    const { frames, nonEmptyFrameIdxs: idxs } = inputs.get(path)!;
    expect(frames).toHaveLength(64 * 66 * 3);
    expect(idxs).toHaveLength(64);
    expect(frames.some(Number.isNaN)).toBe(false);
    expect(idxs.some(Number.isNaN)).toBe(false);

    const { kept } = expectedKeptFrames(fact);
    const real = Math.min(kept, 64);
    for (let t = 0; t < 64; t++) {
      const row = frames.subarray(t * 198, (t + 1) * 198);
      if (t < real) {
        expect(idxs[t]).toBeGreaterThanOrEqual(t === 0 ? 0 : idxs[t - 1]!);
        // The dominant hand is present in every kept frame, so each output frame has hand values.
        expect(row.subarray(40 * 3, 61 * 3).some((v) => v !== 0)).toBe(true);
      } else {
        expect(idxs[t]).toBe(-1);
        expect(row.every((v) => v === 0)).toBe(true);
      }
    }
    // Unpooled, the first index is the first kept frame itself; pooled, the mean of the first window.
    if (kept < 64) expect(idxs[0]).toBe(0);
    expect(idxs[real - 1]).toBeLessThan(fact.frames);
  });
});
