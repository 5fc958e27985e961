/**
 * What the tracker reports: a hand is only found while it is in the picture, is lost now and then
 * (more often when it moves fast) and takes a few frames to be found again; the face is occasionally lost
 * for a run of frames (a hand in front of it, the signer turning away).
 */
import type { SynthRandom } from '../../random/pinned-generators.ts';

export interface HandTrackingRates {
  readonly drop: number;
  readonly recover: number;
}

/**
 * `visible[i]` says whether the hand is inside the picture in frame i, `speed[i]` how far it moved since the
 * previous frame (face heights). Returns 1 where the hand is reported.
 */
export function handPresence(
  rng: SynthRandom,
  visible: Uint8Array,
  speed: Float64Array,
  rates: HandTrackingRates,
): Uint8Array {
  const n = visible.length;
  const found = new Uint8Array(n);
  if (rng.chance(0.02)) return found;
  let tracked = rng.chance(rates.recover / (rates.recover + rates.drop));
  for (let i = 0; i < n; i++) {
    if (!visible[i]) {
      tracked = false;
      continue;
    }
    if (tracked) {
      const drop = Math.min(0.9, rates.drop * (1 + 4 * speed[i]!));
      tracked = !rng.chance(drop);
    } else {
      tracked = rng.chance(rates.recover);
    }
    found[i] = tracked ? 1 : 0;
  }
  return found;
}

/** 1 where the face is missing. */
export function faceDropout(rng: SynthRandom, frameCount: number, chance: number): Uint8Array {
  const missing = new Uint8Array(frameCount);
  if (!rng.chance(chance)) return missing;
  if (rng.chance(0.15)) return missing.fill(1);
  const length = 1 + Math.floor(rng.next() * Math.max(1, frameCount * 0.6));
  const where = rng.next();
  const start = where < 0.45 ? 0 : where < 0.75 ? frameCount - length : rng.int(0, frameCount - length);
  missing.fill(1, Math.max(0, start), Math.min(frameCount, start + length));
  return missing;
}
