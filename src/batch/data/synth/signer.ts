/**
 * The people who sign: body proportions, where the camera sees them, which hand leads, how fast and wide they
 * sign, their face, and how well the tracker follows them. Signer i depends only on the seed and i.
 */
import type { FaceShape } from './face-mesh.ts';
import { SynthRandom } from '../../random/pinned-generators.ts';
import type { Vec3 } from './vec3.ts';
import { DEG } from './vec3.ts';

export type Hand = 'left' | 'right';

export interface Camera {
  /** Image position of the head centre, normalised 0..1. */
  readonly cx: number;
  readonly cy: number;
  /** Image height per face height. */
  readonly scale: number;
  /** Image x units per image y unit for the same physical length (portrait video stretches x). */
  readonly aspect: number;
  /** Camera roll in radians. */
  readonly roll: number;
}

export interface Body {
  /** All in face heights. */
  readonly shoulderHalf: number;
  readonly shoulderDrop: number;
  readonly hipHalf: number;
  readonly hipDrop: number;
  readonly upperArm: number;
  readonly forearm: number;
  /** Wrist to middle knuckle. */
  readonly handSize: number;
  /** Torso offset from under the head (x, z) and turn about the vertical axis (radians). */
  readonly torsoShift: number;
  readonly torsoYaw: number;
}

export interface Tracking {
  /** Per-frame chance of losing a tracked hand, and of finding a lost one again. */
  readonly handDrop: number;
  readonly handRecover: number;
  /** Chance that a clip has a run of frames without the face. */
  readonly faceDropout: number;
  /** Whether the idle non-dominant hand rests in the lap, at the edge of the picture, instead of hanging. */
  readonly lapRest: boolean;
}

export interface SignerSpec {
  readonly index: number;
  readonly participantId: number;
  readonly dominant: Hand;
  readonly camera: Camera;
  readonly body: Body;
  readonly face: FaceShape;
  readonly tracking: Tracking;
  /** Frames per sign relative to the average signer. */
  readonly tempo: number;
  /** Size of movements relative to the average signer. */
  readonly amplitude: number;
  /** A personal offset of every location (face heights), e.g. signing lower or further out. */
  readonly locationBias: Vec3;
  /** Extended fingers are never fully straight: extra flexion for this signer (radians). */
  readonly laxness: number;
  readonly mouthGain: number;
  /** How far the hand habitually leans its fingers towards the midline, the forearm coming from the side (radians). */
  readonly handLean: number;
  /** Habitual head tilt (radians). */
  readonly headPitch: number;
  readonly headRoll: number;
  /** MediaPipe pose depth is badly calibrated; each signer's comes out at a different gain. */
  readonly poseDepthGain: number;
}

export const LEFT_DOMINANT_SHARE = 0.3;

function participantIds(count: number, rng: SynthRandom): number[] {
  const ids = new Set<number>();
  while (ids.size < count) ids.add(rng.int(10000, 65535));
  return [...ids];
}

function makeSigner(index: number, participantId: number, dominant: Hand, seed: number): SignerSpec {
  const rng = SynthRandom.from(seed, 'signer', index);
  const n = (mean: number, sd: number): number => rng.boundedNormal(mean, sd);
  const scale = n(0.27, 0.025);
  return {
    index,
    participantId,
    dominant,
    camera: {
      cx: n(0.46, 0.07),
      cy: n(0.39, 0.07),
      scale,
      aspect: n(1.27, 0.05),
      roll: n(0, 2) * DEG,
    },
    body: {
      shoulderHalf: n(0.92, 0.07),
      shoulderDrop: n(0.95, 0.08),
      hipHalf: n(0.62, 0.06),
      hipDrop: n(3.2, 0.2),
      upperArm: n(1.35, 0.08),
      forearm: n(1.2, 0.07),
      handSize: n(0.62, 0.05),
      torsoShift: n(0, 0.1),
      torsoYaw: n(0, 6) * DEG,
    },
    face: {
      width: n(1, 0.05),
      height: n(1, 0.04),
      jaw: n(1, 0.08),
      eyeSpacing: n(1, 0.05),
      noseLength: n(1, 0.07),
      mouthWidth: n(1, 0.07),
      lipThickness: n(1, 0.12),
      depth: n(1, 0.08),
    },
    tracking: {
      handDrop: rng.uniform(0.08, 0.3),
      handRecover: rng.uniform(0.25, 0.7),
      faceDropout: rng.chance(0.15) ? rng.uniform(0.1, 0.35) : 0.01,
      lapRest: rng.chance(0.08),
    },
    tempo: rng.logNormal(1, 0.15),
    amplitude: n(1, 0.2),
    locationBias: [n(0, 0.15), n(0, 0.15), n(0, 0.15)],
    laxness: rng.uniform(0, 12) * DEG,
    mouthGain: rng.logNormal(1, 0.3),
    handLean: n(35, 12) * DEG,
    headPitch: n(0, 5) * DEG,
    headRoll: n(0, 3) * DEG,
    poseDepthGain: rng.logNormal(1, 0.2),
  };
}

/** Signers with distinct 5-digit participant ids; about LEFT_DOMINANT_SHARE of them lead with the left hand. */
export function makeSigners(count: number, seed: number): SignerSpec[] {
  const rng = SynthRandom.from(seed, 'signers');
  const ids = participantIds(count, rng);
  const lefties = new Set(
    rng.shuffle([...Array(count).keys()]).slice(0, Math.round(count * LEFT_DOMINANT_SHARE)),
  );
  return ids.map((id, i) => makeSigner(i, id, lefties.has(i) ? 'left' : 'right', seed));
}
