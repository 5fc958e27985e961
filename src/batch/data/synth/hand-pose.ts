/**
 * Places a handshape in the signer-centric frame: the palm centre at a point, turned by an orientation,
 * scaled to the signer's hand. The non-dominant hand is built as if it were dominant and then mirrored.
 */
import type { Handshape } from './handshape.ts';
import { HAND_POINTS, handSkeleton, PALM_CENTER } from './handshape.ts';
import type { HandOrientation } from './hand-orientation.ts';
import { orientationMatrix } from './hand-orientation.ts';
import type { Vec3 } from './vec3.ts';

export interface HandPlacement {
  readonly shape: Handshape;
  readonly palm: Vec3;
  readonly orientation: HandOrientation;
  readonly twist: number;
}

const scratch = new Float64Array(HAND_POINTS * 3);

/** Writes 21 points (signer-centric, face heights) into `out`; `mirror` flips d for the non-dominant hand. */
export function placeHand(p: HandPlacement, handSize: number, mirror: boolean, out: Float64Array): void {
  const local = handSkeleton(p.shape, scratch);
  const m = orientationMatrix(p.orientation, p.twist);
  const flip = mirror ? -1 : 1;
  for (let i = 0; i < HAND_POINTS; i++) {
    const a = (local[i * 3]! - PALM_CENTER[0]) * handSize;
    const f = (local[i * 3 + 1]! - PALM_CENTER[1]) * handSize;
    const n = (local[i * 3 + 2]! - PALM_CENTER[2]) * handSize;
    out[i * 3] = flip * (p.palm[0] + m[0] * a + m[1] * f + m[2] * n);
    out[i * 3 + 1] = p.palm[1] + m[3] * a + m[4] * f + m[5] * n;
    out[i * 3 + 2] = p.palm[2] + m[6] * a + m[7] * f + m[8] * n;
  }
}

export function lerpOrientation(a: HandOrientation, b: HandOrientation, t: number): HandOrientation {
  return {
    roll: a.roll + (b.roll - a.roll) * t,
    pitch: a.pitch + (b.pitch - a.pitch) * t,
    yaw: a.yaw + (b.yaw - a.yaw) * t,
  };
}
