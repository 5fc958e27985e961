/**
 * When, within a clip, the sign happens. A recording catches some idle frames, the hand travelling up from
 * rest, the sign itself (the "core"), the hand going back down, and more idle frames; short clips are
 * mostly core, long ones mostly idle.
 */
import { sampleFirstFrame, sampleFrameCount } from './frame-count.ts';
import { ease } from './sign-movement.ts';
import type { SynthRandom } from '../../random/pinned-generators.ts';

export interface Timeline {
  readonly frameCount: number;
  readonly firstFrame: number;
  readonly coreStart: number;
  readonly coreLength: number;
  /** Frames of travel between rest and the sign, before and after the core. */
  readonly approach: number;
  readonly retreat: number;
  /** Bends the sign's time (-0.5..0.5): a signer lingering at the start or the end. */
  readonly warp: number;
}

export interface Moment {
  /** 0 at rest, 1 while signing, in between while travelling. */
  readonly activity: number;
  /** Phase of the sign in [0, 1]. */
  readonly u: number;
}

export function planTimeline(rng: SynthRandom, stretch: number): Timeline {
  const frameCount = sampleFrameCount(rng, stretch);
  const firstFrame = sampleFirstFrame(rng);
  const share = frameCount <= 40 ? rng.uniform(0.6, 0.95) : rng.uniform(0.25, 0.7);
  const coreLength = Math.max(2, Math.min(frameCount, Math.round(frameCount * share)));
  const spare = frameCount - coreLength;
  const before = Math.round(spare * rng.uniform(0.15, 0.85));
  return {
    frameCount,
    firstFrame,
    coreStart: before,
    coreLength,
    approach: rng.int(2, 6),
    retreat: rng.int(2, 6),
    warp: rng.uniform(-0.5, 0.5),
  };
}

export function momentAt(t: Timeline, frame: number): Moment {
  const end = t.coreStart + t.coreLength - 1;
  if (frame < t.coreStart) {
    const k = t.coreStart - frame;
    return { activity: k > t.approach ? 0 : ease(1 - k / (t.approach + 1)), u: 0 };
  }
  if (frame > end) {
    const k = frame - end;
    return { activity: k > t.retreat ? 0 : ease(1 - k / (t.retreat + 1)), u: 1 };
  }
  const x = t.coreLength > 1 ? (frame - t.coreStart) / (t.coreLength - 1) : 1;
  return { activity: 1, u: x + t.warp * x * (1 - x) };
}
