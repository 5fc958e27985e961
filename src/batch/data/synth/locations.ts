/**
 * Where signs are made: palm-centre anchors in the signer-centric frame (d towards the dominant side, y down,
 * z away from the camera; origin at the head's centre; face-height units). Weights say how common each is.
 */
import type { Vec3 } from './vec3.ts';

export const LOCATIONS = {
  aboveHead: { at: [0.35, -1.0, -0.65], weight: 0.5 },
  forehead: { at: [0.08, -0.38, -0.7], weight: 1.5 },
  temple: { at: [0.5, -0.25, -0.35], weight: 0.8 },
  eye: { at: [0.18, -0.12, -0.7], weight: 0.6 },
  nose: { at: [0.04, 0.05, -0.75], weight: 0.7 },
  cheek: { at: [0.45, 0.12, -0.5], weight: 1 },
  ear: { at: [0.62, 0.0, -0.1], weight: 0.5 },
  mouth: { at: [0.04, 0.3, -0.7], weight: 1.5 },
  chin: { at: [0.04, 0.52, -0.65], weight: 1.5 },
  neck: { at: [0.05, 0.95, -0.5], weight: 0.6 },
  shoulderDominant: { at: [0.9, 1.05, -0.35], weight: 0.5 },
  shoulderOther: { at: [-0.75, 1.1, -0.45], weight: 0.6 },
  chest: { at: [0.08, 1.6, -0.55], weight: 2 },
  chestDominant: { at: [0.65, 1.6, -0.55], weight: 1 },
  stomach: { at: [0.15, 2.0, -0.65], weight: 0.7 },
  neutral: { at: [0.6, 1.5, -1.5], weight: 4 },
  neutralHigh: { at: [0.6, 0.7, -1.5], weight: 1.5 },
  side: { at: [1.2, 1.2, -0.9], weight: 0.8 },
} as const satisfies Record<string, { at: Vec3; weight: number }>;

export type LocationName = keyof typeof LOCATIONS;
export const LOCATION_NAMES = Object.keys(LOCATIONS) as LocationName[];

/** Where the non-dominant hand waits as a base for the dominant one (already on the non-dominant side). */
export const BASE_LOCATION: Vec3 = [-0.2, 1.75, -1.2];

/** Hands hanging at the sides, below the camera's view for most signers. */
export const REST_LOW: Vec3 = [1.1, 3.3, -0.15];
/** Hands resting in the lap, at the bottom edge of the picture. */
export const REST_LAP: Vec3 = [0.35, 2.55, -0.8];
