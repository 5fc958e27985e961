/**
 * How a hand is turned, and the matrix that takes the hand frame (a, f, n) to the signer-centric frame
 * (d towards the dominant side, y down, z away from the camera).
 *
 * With all angles zero the hand is up, palm to the camera, thumb towards the body's midline. `yaw` turns the
 * hand about its own finger axis, `pitch` tips the fingers towards the camera, `roll` turns the hand in the
 * picture plane.
 */
import type { Mat3 } from './vec3.ts';
import { DEG, mul, rotX, rotY, rotZ } from './vec3.ts';

export interface HandOrientation {
  readonly roll: number;
  readonly pitch: number;
  readonly yaw: number;
}

const deg = (roll: number, pitch: number, yaw: number): HandOrientation => ({
  roll: roll * DEG,
  pitch: pitch * DEG,
  yaw: yaw * DEG,
});

export const ORIENTATIONS = {
  palmOut: deg(0, 0, 0),
  palmIn: deg(0, 0, 180),
  palmMidline: deg(0, 0, 90),
  palmDown: deg(0, 70, 0),
  palmUp: deg(0, 70, 180),
  fingersMidlinePalmOut: deg(-90, 0, 0),
  fingersMidlinePalmIn: deg(-90, 0, 180),
  fingersMidlinePalmDown: deg(-90, 0, 90),
  fingersDownPalmIn: deg(180, 0, 180),
  tiltedPalmMidline: deg(0, 45, 90),
} as const satisfies Record<string, HandOrientation>;

export type OrientationName = keyof typeof ORIENTATIONS;
export const ORIENTATION_NAMES = Object.keys(ORIENTATIONS) as OrientationName[];

/** A relaxed hand hanging at rest: fingers down, palm to the thigh. */
export const REST_ORIENTATION: HandOrientation = deg(170, 10, 90);

// The hand frame's thumb side points to the midline (-d), its fingers up (-y), its palm to the camera (-z).
const HAND_TO_BODY: Mat3 = [-1, 0, 0, 0, -1, 0, 0, 0, -1];

/** Hand frame -> signer-centric frame, with an extra forearm `twist` about the finger axis. */
export function orientationMatrix(o: HandOrientation, twist = 0): Mat3 {
  return mul(rotZ(o.roll), mul(rotX(o.pitch), mul(HAND_TO_BODY, rotY(o.yaw + twist))));
}

export function jitterOrientation(o: HandOrientation, sd: number, normal: () => number): HandOrientation {
  return { roll: o.roll + sd * normal(), pitch: o.pitch + sd * normal(), yaw: o.yaw + sd * normal() };
}
