/**
 * Base handshapes, loosely after the common ASL handshapes. Signs pick one and perturb it, so several signs
 * share a handshape and differ only in location or movement, as real signs do.
 */
import type { FingerPose, Handshape, ThumbPose } from './handshape.ts';
import { DEG } from './vec3.ts';

type Angles4 = readonly [number, number, number, number];

const finger = ([spread, mcp, pip, dip]: Angles4): FingerPose => ({
  spread: spread * DEG,
  mcp: mcp * DEG,
  pip: pip * DEG,
  dip: dip * DEG,
});
const thumb = ([abduct, oppose, mcp, ip]: Angles4): ThumbPose => ({
  abduct: abduct * DEG,
  oppose: oppose * DEG,
  mcp: mcp * DEG,
  ip: ip * DEG,
});
const shape = (t: Angles4, i: Angles4, m: Angles4, r: Angles4, p: Angles4): Handshape => ({
  thumb: thumb(t),
  fingers: [finger(i), finger(m), finger(r), finger(p)],
});

const EXT: Angles4 = [0, 0, 0, 0];
const FIST: Angles4 = [0, 85, 100, 60];
const THUMB_ACROSS: Angles4 = [25, 55, 35, 25];
const THUMB_SIDE: Angles4 = [8, 5, 0, 0];
const THUMB_OUT: Angles4 = [60, 10, 0, 0];

export const HANDSHAPES = {
  A: shape(THUMB_SIDE, FIST, FIST, FIST, FIST),
  S: shape(THUMB_ACROSS, FIST, FIST, FIST, FIST),
  B: shape([20, 50, 30, 10], EXT, EXT, EXT, EXT),
  flatB: shape(THUMB_SIDE, EXT, EXT, EXT, EXT),
  five: shape([55, 10, 0, 0], [12, 0, 0, 0], [0, 0, 0, 0], [-8, 0, 0, 0], [-16, 0, 0, 0]),
  one: shape(THUMB_ACROSS, EXT, FIST, FIST, FIST),
  V: shape(THUMB_ACROSS, [9, 0, 0, 0], [-9, 0, 0, 0], FIST, FIST),
  U: shape(THUMB_ACROSS, [1, 0, 0, 0], [-2, 0, 0, 0], FIST, FIST),
  W: shape([30, 60, 40, 30], [9, 0, 0, 0], [0, 0, 0, 0], [-9, 0, 0, 0], FIST),
  Y: shape(THUMB_OUT, FIST, FIST, FIST, [-15, 0, 0, 0]),
  L: shape([80, 0, 0, 0], EXT, FIST, FIST, FIST),
  I: shape(THUMB_ACROSS, FIST, FIST, FIST, EXT),
  C: shape([45, 45, 15, 15], [0, 35, 50, 30], [0, 35, 50, 30], [0, 35, 50, 30], [0, 35, 50, 30]),
  O: shape([35, 60, 25, 30], [0, 50, 70, 45], [0, 50, 70, 45], [0, 50, 70, 45], [0, 50, 70, 45]),
  flatO: shape([30, 60, 15, 5], [0, 65, 15, 10], [0, 65, 15, 10], [0, 65, 15, 10], [0, 65, 15, 10]),
  bentB: shape([15, 30, 15, 0], [0, 85, 0, 0], [0, 85, 0, 0], [0, 85, 0, 0], [0, 85, 0, 0]),
  claw: shape([50, 30, 30, 30], [10, 20, 80, 60], [0, 20, 80, 60], [-8, 20, 80, 60], [-16, 20, 80, 60]),
  X: shape(THUMB_ACROSS, [0, 30, 90, 60], FIST, FIST, FIST),
  three: shape([60, 0, 0, 0], [9, 0, 0, 0], [-9, 0, 0, 0], FIST, FIST),
  horns: shape(THUMB_ACROSS, [6, 0, 0, 0], FIST, FIST, [-14, 0, 0, 0]),
  F: shape([30, 60, 25, 20], [0, 40, 80, 50], [2, 0, 0, 0], [-8, 0, 0, 0], [-16, 0, 0, 0]),
  E: shape([10, 60, 40, 40], [0, 70, 100, 80], [0, 70, 100, 80], [0, 70, 100, 80], [0, 70, 100, 80]),
  eight: shape([35, 55, 20, 20], [12, 0, 0, 0], [0, 45, 60, 30], [-8, 0, 0, 0], [-16, 0, 0, 0]),
  bent5: shape([55, 20, 20, 10], [12, 50, 30, 10], [0, 50, 30, 10], [-8, 50, 30, 10], [-16, 50, 30, 10]),
} as const satisfies Record<string, Handshape>;

export type HandshapeName = keyof typeof HANDSHAPES;
export const HANDSHAPE_NAMES = Object.keys(HANDSHAPES) as HandshapeName[];

/** Pairs that naturally open or close into each other (e.g. flat-O opening into 5), for handshape-change signs. */
export const HANDSHAPE_CHANGES: readonly (readonly [HandshapeName, HandshapeName])[] = [
  ['flatO', 'five'],
  ['five', 'flatO'],
  ['S', 'five'],
  ['five', 'S'],
  ['one', 'X'],
  ['O', 'five'],
  ['C', 'S'],
  ['B', 'bentB'],
  ['L', 'flatO'],
  ['V', 'bent5'],
];
