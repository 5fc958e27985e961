/**
 * How many frames a clip has and where its frame numbers start. The real ASL-Signs clips run from 2 to 537
 * frames with a median near 20 and a long tail; the 50 real files here have a median of 18 and start anywhere
 * from frame 0 to frame 100+. A two-part log-normal mixture reproduces that shape.
 */
import type { SynthRandom } from '../../random/pinned-generators.ts';

export const MIN_FRAMES = 2;
export const MAX_FRAMES = 537;

const BODY = { median: 18.5, sigma: 0.5 };
const TAIL = { share: 0.15, median: 55, sigma: 0.8 };

/** `stretch` (around 1) lengthens slow signers and long signs. */
export function sampleFrameCount(rng: SynthRandom, stretch = 1): number {
  const part = rng.chance(TAIL.share) ? TAIL : BODY;
  const frames = Math.round(rng.logNormal(part.median, part.sigma) * stretch);
  return Math.min(MAX_FRAMES, Math.max(MIN_FRAMES, frames));
}

/** Mostly near frame 20, some at 0, and a second group around frames 60-110 (as in the real files). */
export function sampleFirstFrame(rng: SynthRandom): number {
  const r = rng.next();
  if (r < 0.06) return 0;
  if (r < 0.18) return rng.int(60, 110);
  return Math.min(59, Math.round(rng.logNormal(19, 0.4)));
}
