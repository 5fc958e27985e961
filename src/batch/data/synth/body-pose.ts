/**
 * The 33 MediaPipe pose points from the body, the head and the hands. Works in the image-oriented body frame
 * (x to the image's right = the signer's left, y down, z away from the camera; face heights; origin at the
 * head's rest position). Index 11/13/15/17/19/21/23... are the signer's left side, 12/14/... the right.
 */
import type { Body } from './signer.ts';
import type { Vec3 } from './vec3.ts';
import { add, cross, dot, norm, normalize, scale, sub } from './vec3.ts';

export const POSE_POINTS = 33;

export interface PoseInputs {
  readonly body: Body;
  /** Face points (468 x 3) in the body frame. */
  readonly face: Float64Array;
  readonly headCenter: Vec3;
  /** Unit vector from the head's centre towards the signer's left ear. */
  readonly headLeft: Vec3;
  /** Hand points (21 x 3) in the body frame: the signer's left and right hands. */
  readonly leftHand: Float64Array;
  readonly rightHand: Float64Array;
}

const SHOULDER_DEPTH = 0.35;

function at(points: Float64Array, i: number): Vec3 {
  return [points[i * 3]!, points[i * 3 + 1]!, points[i * 3 + 2]!];
}

function mean(...vs: Vec3[]): Vec3 {
  let s: Vec3 = [0, 0, 0];
  for (const v of vs) s = add(s, v);
  return scale(s, 1 / vs.length);
}

/** Elbow of a two-bone arm: on the circle of reachable elbows, the point nearest a down-and-out pole. */
export function elbowFor(shoulder: Vec3, wrist: Vec3, upper: number, lower: number, outward: number): Vec3 {
  const span = sub(wrist, shoulder);
  const dist = Math.min(upper + lower - 1e-3, Math.max(Math.abs(upper - lower) + 1e-3, norm(span)));
  const axis = normalize(span);
  const along = (upper * upper - lower * lower + dist * dist) / (2 * dist);
  const radius = Math.sqrt(Math.max(0, upper * upper - along * along));
  const pole: Vec3 = [outward * 1.2, 1, 0.3];
  let perp = sub(pole, scale(axis, dot(pole, axis)));
  if (norm(perp) < 1e-6) perp = cross(axis, [0, 0, 1]);
  return add(add(shoulder, scale(axis, along)), scale(normalize(perp), radius));
}

export function posePoints(p: PoseInputs, out: Float64Array): void {
  const put = (i: number, v: Vec3): void => {
    out[i * 3] = v[0];
    out[i * 3 + 1] = v[1];
    out[i * 3 + 2] = v[2];
  };
  const f = (i: number): Vec3 => at(p.face, i);
  const b = p.body;
  put(0, f(1));
  put(1, f(362));
  put(2, mean(f(362), f(263)));
  put(3, f(263));
  put(4, f(133));
  put(5, mean(f(133), f(33)));
  put(6, f(33));
  const earOffset = scale(p.headLeft, 0.55);
  put(7, add(add(p.headCenter, earOffset), [0, -0.02, 0.1]));
  put(8, add(sub(p.headCenter, earOffset), [0, -0.02, 0.1]));
  put(9, f(291));
  put(10, f(61));

  const cos = Math.cos(b.torsoYaw);
  const sin = Math.sin(b.torsoYaw);
  const side = (half: number, drop: number, sign: number, depth: number): Vec3 => [
    b.torsoShift + sign * half * cos,
    drop,
    depth + sign * half * sin,
  ];
  const leftShoulder = side(b.shoulderHalf, b.shoulderDrop, 1, SHOULDER_DEPTH);
  const rightShoulder = side(b.shoulderHalf, b.shoulderDrop, -1, SHOULDER_DEPTH);
  put(11, leftShoulder);
  put(12, rightShoulder);
  const arm = (shoulder: Vec3, hand: Float64Array, sign: number, first: number): void => {
    const wrist = at(hand, 0);
    put(first, elbowFor(shoulder, wrist, b.upperArm, b.forearm, sign));
    put(first + 2, wrist);
    put(first + 4, mean(at(hand, 17), at(hand, 18)));
    put(first + 6, mean(at(hand, 5), at(hand, 6)));
    put(first + 8, at(hand, 3));
  };
  arm(leftShoulder, p.leftHand, 1, 13);
  arm(rightShoulder, p.rightHand, -1, 14);

  const hipDepth = SHOULDER_DEPTH + 0.1;
  for (const [sign, first] of [
    [1, 23],
    [-1, 24],
  ] as const) {
    const hip = side(b.hipHalf, b.hipDrop, sign, hipDepth);
    put(first, hip);
    put(first + 2, add(hip, [sign * 0.05, 2.0, -0.2]));
    put(first + 4, add(hip, [sign * 0.02, 3.9, 0.1]));
    put(first + 6, add(hip, [sign * 0.0, 4.05, 0.25]));
    put(first + 8, add(hip, [sign * 0.08, 4.15, -0.45]));
  }
}

/**
 * MediaPipe's pose z (origin between the hips, roughly x-scaled, far too large for the head and arms):
 * a fixed per-region offset plus the point's real depth relative to its region, times the signer's gain.
 */
export function poseDepth(points: Float64Array, index: number, imageScale: number, gain: number): number {
  const z = points[index * 3 + 2]!;
  const k = 2.75 * imageScale;
  if (index <= 10) return gain * (-1.3 + k * (z - points[2]!));
  if (index <= 12) return gain * (-0.35 + k * (z - SHOULDER_DEPTH));
  if (index <= 14) return gain * (-0.45 + k * (z - SHOULDER_DEPTH));
  if (index <= 22) return gain * (-0.9 + k * (z - SHOULDER_DEPTH));
  if (index <= 24) return gain * k * (z - SHOULDER_DEPTH - 0.1);
  if (index <= 26) return gain * 0.0;
  if (index <= 30) return gain * 0.8;
  return gain * 0.1;
}
