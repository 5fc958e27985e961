/**
 * What the mouth does during a sign (mouth morphemes, mouthed words): keyframes of a MouthPose over the
 * sign's phase, linearly interpolated.
 */
import type { MouthPose } from './face-mesh.ts';
import { CLOSED_MOUTH } from './face-mesh.ts';
import type { SynthRandom } from '../../random/pinned-generators.ts';

export interface MouthKey extends MouthPose {
  readonly u: number;
}

export type MouthProgram = readonly MouthKey[];

export const MOUTH_STYLES = ['neutral', 'open', 'oo', 'ee', 'mouthing', 'pressed', 'burst'] as const;
export type MouthStyle = (typeof MOUTH_STYLES)[number];
const STYLE_WEIGHTS: Readonly<Record<MouthStyle, number>> = {
  neutral: 4,
  open: 1,
  oo: 1,
  ee: 1,
  mouthing: 2.5,
  pressed: 0.7,
  burst: 0.8,
};

const key = (u: number, open: number, round = 0, wide = 0): MouthKey => ({ u, open, round, wide });

export function randomMouthStyle(rng: SynthRandom): MouthStyle {
  return MOUTH_STYLES[rng.weightedIndex(MOUTH_STYLES.map((s) => STYLE_WEIGHTS[s]))]!;
}

export function makeMouthProgram(style: MouthStyle, rng: SynthRandom): MouthProgram {
  const c = CLOSED_MOUTH.open;
  switch (style) {
    case 'neutral':
      return [key(0, c)];
    case 'open': {
      const o = rng.uniform(0.3, 0.6);
      return [key(0, c), key(0.25, o), key(0.8, o), key(1, c)];
    }
    case 'oo': {
      const r = rng.uniform(0.6, 1);
      return [key(0, c), key(0.3, 0.15, r), key(0.85, 0.12, r), key(1, c)];
    }
    case 'ee': {
      const w = rng.uniform(0.6, 1);
      return [key(0, c), key(0.3, 0.12, 0, w), key(0.85, 0.1, 0, w), key(1, c)];
    }
    case 'pressed':
      return [key(0, c), key(0.3, 0, 0, 0.4), key(1, 0, 0, 0.4)];
    case 'burst': {
      const at = rng.uniform(0.5, 0.8);
      return [
        key(0, 0),
        key(at - 0.1, 0, 0.3),
        key(at, rng.uniform(0.4, 0.7), 0.2),
        key(Math.min(1, at + 0.2), c),
      ];
    }
    case 'mouthing': {
      const syllables = rng.int(2, 3);
      const keys: MouthKey[] = [key(0, c)];
      for (let s = 0; s < syllables; s++) {
        const mid = (s + 0.5) / syllables;
        const half = 0.35 / syllables;
        keys.push(key(mid - half, 0.05));
        keys.push(
          key(mid, rng.uniform(0.2, 0.55), rng.chance(0.4) ? rng.uniform(0.3, 0.9) : 0, rng.uniform(0, 0.5)),
        );
        keys.push(key(mid + half, 0.05));
      }
      keys.push(key(1, c));
      return keys;
    }
  }
}

/** The mouth at phase u; `gain` scales how pronounced it is (signer and clip variation). */
export function mouthAt(program: MouthProgram, u: number, gain: number): MouthPose {
  const first = program[0]!;
  let pose: MouthPose = first;
  if (u > first.u) {
    pose = program[program.length - 1]!;
    for (let i = 1; i < program.length; i++) {
      const b = program[i]!;
      if (u <= b.u) {
        const a = program[i - 1]!;
        const t = b.u > a.u ? (u - a.u) / (b.u - a.u) : 1;
        pose = {
          open: a.open + (b.open - a.open) * t,
          round: a.round + (b.round - a.round) * t,
          wide: a.wide + (b.wide - a.wide) * t,
        };
        break;
      }
    }
  }
  return {
    open: Math.max(0, pose.open * gain),
    round: Math.min(1, pose.round * gain),
    wide: Math.min(1, pose.wide * gain),
  };
}
