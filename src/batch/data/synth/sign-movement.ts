/**
 * Movement paths of a sign, as functions of the sign's phase u in [0, 1]. Offsets are in the signer-centric
 * frame (d towards the dominant side, y down, z away from the camera) in face heights; every path starts
 * at the sign's location (offset 0 at u = 0) so that the location stays meaningful.
 */
import type { Vec3 } from './vec3.ts';
import { add, scale } from './vec3.ts';

export type Movement =
  | { readonly kind: 'hold'; readonly drift: Vec3 }
  | { readonly kind: 'line'; readonly dir: Vec3; readonly length: number }
  | { readonly kind: 'arc'; readonly dir: Vec3; readonly bulge: Vec3; readonly length: number }
  | {
      readonly kind: 'circle';
      readonly u: Vec3;
      readonly v: Vec3;
      readonly radius: number;
      readonly turns: number;
    }
  | { readonly kind: 'taps'; readonly dir: Vec3; readonly depth: number; readonly count: number }
  | {
      readonly kind: 'zigzag';
      readonly dir: Vec3;
      readonly sweep: Vec3;
      readonly amplitude: number;
      readonly count: number;
    }
  | { readonly kind: 'shake'; readonly dir: Vec3; readonly amplitude: number; readonly count: number }
  | { readonly kind: 'twist'; readonly angle: number; readonly count: number }
  | { readonly kind: 'wiggle'; readonly amplitude: number; readonly count: number };

export type MovementKind = Movement['kind'];

/** Where the hand is, relative to the sign's location, and what the wrist and fingers add at phase u. */
export interface MovementState {
  readonly offset: Vec3;
  /** Forearm rotation (radians) about the hand's finger axis. */
  readonly twist: number;
  /** Extra finger flexion (radians), per finger index..pinky. */
  readonly flex: readonly [number, number, number, number];
}

const NO_FLEX = [0, 0, 0, 0] as const;
const ORIGIN: Vec3 = [0, 0, 0];

/** Smooth start and stop, as a real movement accelerates and brakes. */
export function ease(u: number): number {
  const x = Math.min(1, Math.max(0, u));
  return x * x * (3 - 2 * x);
}

/**
 * `amplitude` scales every spatial extent (signer and clip variation); `u` is clamped to [0, 1].
 */
export function movementAt(m: Movement, u: number, amplitude: number): MovementState {
  const t = Math.min(1, Math.max(0, u));
  const e = ease(t);
  switch (m.kind) {
    case 'hold':
      return { offset: scale(m.drift, e * amplitude), twist: 0, flex: NO_FLEX };
    case 'line':
      return { offset: scale(m.dir, m.length * amplitude * e), twist: 0, flex: NO_FLEX };
    case 'arc':
      return {
        offset: add(
          scale(m.dir, m.length * amplitude * e),
          scale(m.bulge, amplitude * Math.sin(Math.PI * e)),
        ),
        twist: 0,
        flex: NO_FLEX,
      };
    case 'circle': {
      const theta = 2 * Math.PI * m.turns * e;
      const r = m.radius * amplitude;
      return {
        offset: add(scale(m.u, r * (Math.cos(theta) - 1)), scale(m.v, r * Math.sin(theta))),
        twist: 0,
        flex: NO_FLEX,
      };
    }
    case 'taps': {
      const s = Math.sin(Math.PI * m.count * t);
      return { offset: scale(m.dir, -m.depth * amplitude * s * s), twist: 0, flex: NO_FLEX };
    }
    case 'zigzag':
      return {
        offset: add(
          scale(m.sweep, amplitude * e),
          scale(m.dir, m.amplitude * amplitude * Math.sin(2 * Math.PI * m.count * t)),
        ),
        twist: 0,
        flex: NO_FLEX,
      };
    case 'shake':
      return {
        offset: scale(m.dir, m.amplitude * amplitude * Math.sin(2 * Math.PI * m.count * t)),
        twist: 0,
        flex: NO_FLEX,
      };
    case 'twist':
      return { offset: ORIGIN, twist: m.angle * Math.sin(Math.PI * m.count * t), flex: NO_FLEX };
    case 'wiggle': {
      const w = (phase: number): number =>
        m.amplitude * (0.5 + 0.5 * Math.sin(2 * Math.PI * m.count * t + phase));
      return { offset: ORIGIN, twist: 0, flex: [w(0), w(1.2), w(2.4), w(3.6)] };
    }
  }
}
