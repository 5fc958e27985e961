/**
 * A handshape as joint angles (radians) and the 21-point MediaPipe hand skeleton it produces:
 * 0 wrist; thumb 1-4 (CMC, MCP, IP, tip); index 5-8, middle 9-12, ring 13-16, pinky 17-20 (MCP, PIP, DIP, tip).
 *
 * Points are in the hand's own frame (a, f, n): `a` runs across the palm towards the thumb, `f` from the
 * wrist towards the middle knuckle, `n` out of the palm (the way the palm faces). The wrist-to-middle-knuckle
 * distance is 1.
 */
import type { Vec3 } from './vec3.ts';
import { add, dot, normalize, scale, sub } from './vec3.ts';

export interface FingerPose {
  /** Sideways angle in the palm plane, positive towards the thumb. */
  readonly spread: number;
  /** Flexion at the knuckle, middle and end joints (towards the palm). */
  readonly mcp: number;
  readonly pip: number;
  readonly dip: number;
}

export interface ThumbPose {
  /** Angle away from the finger axis in the palm plane. */
  readonly abduct: number;
  /** Elevation out of the palm plane, towards the palm side: the thumb crossing in front of the palm. */
  readonly oppose: number;
  readonly mcp: number;
  readonly ip: number;
}

export interface Handshape {
  readonly thumb: ThumbPose;
  /** index, middle, ring, pinky */
  readonly fingers: readonly [FingerPose, FingerPose, FingerPose, FingerPose];
}

export const HAND_POINTS = 21;

const FINGER_BASES: readonly Vec3[] = [
  [0.28, 0.92, 0],
  [0.05, 1.0, 0],
  [-0.16, 0.94, 0],
  [-0.35, 0.82, 0],
];
const FINGER_FAN = [0.1, 0, -0.1, -0.22];
const FINGER_LENGTHS: readonly (readonly [number, number, number])[] = [
  [0.42, 0.25, 0.2],
  [0.46, 0.29, 0.21],
  [0.43, 0.27, 0.2],
  [0.34, 0.2, 0.18],
];
const THUMB_CMC: Vec3 = [0.2, 0.15, 0.05];
const THUMB_LENGTHS = [0.38, 0.3, 0.26] as const;
const PALM_NORMAL: Vec3 = [0, 0, 1];

/** Writes the 21 points of `shape` into `out` (63 values: x=a, y=f, z=n per point). */
export function handSkeleton(
  shape: Handshape,
  out: Float64Array = new Float64Array(HAND_POINTS * 3),
): Float64Array {
  const put = (i: number, p: Vec3): void => {
    out[i * 3] = p[0];
    out[i * 3 + 1] = p[1];
    out[i * 3 + 2] = p[2];
  };
  put(0, [0, 0, 0]);

  const { thumb } = shape;
  const thumbDir = normalize([
    Math.sin(thumb.abduct) * Math.cos(thumb.oppose),
    Math.cos(thumb.abduct) * Math.cos(thumb.oppose),
    Math.sin(thumb.oppose),
  ]);
  // The metacarpal follows the thumb only part of the way: the CMC joint is stiffer than the phalanges.
  const metaDir = normalize(add(scale(thumbDir, 0.6), [0.4 * 0.55, 0.4 * 0.83, 0]));
  // Thumb flexion curls the tip across the palm, towards the pinky side and the palm's face.
  const curlTarget = normalize([-0.8, 0, 1]);
  const curlPerp = normalize(sub(curlTarget, scale(thumbDir, dot(curlTarget, thumbDir))));
  const bend = (angle: number): Vec3 =>
    add(scale(thumbDir, Math.cos(angle)), scale(curlPerp, Math.sin(angle)));
  const thumbMcp = add(THUMB_CMC, scale(metaDir, THUMB_LENGTHS[0]));
  const thumbIp = add(thumbMcp, scale(bend(thumb.mcp), THUMB_LENGTHS[1]));
  const thumbTip = add(thumbIp, scale(bend(thumb.mcp + thumb.ip), THUMB_LENGTHS[2]));
  put(1, THUMB_CMC);
  put(2, thumbMcp);
  put(3, thumbIp);
  put(4, thumbTip);

  for (let f = 0; f < 4; f++) {
    const finger = shape.fingers[f]!;
    const base = FINGER_BASES[f]!;
    const lengths = FINGER_LENGTHS[f]!;
    const theta = FINGER_FAN[f]! + finger.spread;
    const along: Vec3 = [Math.sin(theta), Math.cos(theta), 0];
    // Flexion stays in the plane of the finger's direction and the palm normal.
    const dirAt = (angle: number): Vec3 =>
      add(scale(along, Math.cos(angle)), scale(PALM_NORMAL, Math.sin(angle)));
    const pip = add(base, scale(dirAt(finger.mcp), lengths[0]));
    const dip = add(pip, scale(dirAt(finger.mcp + finger.pip), lengths[1]));
    const tip = add(dip, scale(dirAt(finger.mcp + finger.pip + finger.dip), lengths[2]));
    const first = 5 + f * 4;
    put(first, base);
    put(first + 1, pip);
    put(first + 2, dip);
    put(first + 3, tip);
  }
  return out;
}

/** Centre of the palm in the hand frame: where a sign's location puts the hand. */
export const PALM_CENTER: Vec3 = [0.0, 0.5, 0.0];

export function mixHandshapes(a: Handshape, b: Handshape, t: number): Handshape {
  const m = (x: number, y: number): number => x + (y - x) * t;
  const finger = (p: FingerPose, q: FingerPose): FingerPose => ({
    spread: m(p.spread, q.spread),
    mcp: m(p.mcp, q.mcp),
    pip: m(p.pip, q.pip),
    dip: m(p.dip, q.dip),
  });
  return {
    thumb: {
      abduct: m(a.thumb.abduct, b.thumb.abduct),
      oppose: m(a.thumb.oppose, b.thumb.oppose),
      mcp: m(a.thumb.mcp, b.thumb.mcp),
      ip: m(a.thumb.ip, b.thumb.ip),
    },
    fingers: [
      finger(a.fingers[0], b.fingers[0]),
      finger(a.fingers[1], b.fingers[1]),
      finger(a.fingers[2], b.fingers[2]),
      finger(a.fingers[3], b.fingers[3]),
    ],
  };
}

/** Adds independent gaussian noise (radians) to every joint angle. */
export function jitterHandshape(shape: Handshape, sd: number, normal: () => number): Handshape {
  const j = (x: number): number => x + sd * normal();
  const finger = (p: FingerPose): FingerPose => ({
    spread: j(p.spread),
    mcp: j(p.mcp),
    pip: j(p.pip),
    dip: j(p.dip),
  });
  return {
    thumb: {
      abduct: j(shape.thumb.abduct),
      oppose: j(shape.thumb.oppose),
      mcp: j(shape.thumb.mcp),
      ip: j(shape.thumb.ip),
    },
    fingers: [
      finger(shape.fingers[0]),
      finger(shape.fingers[1]),
      finger(shape.fingers[2]),
      finger(shape.fingers[3]),
    ],
  };
}
