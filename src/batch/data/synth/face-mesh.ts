/**
 * A procedural stand-in for MediaPipe's 468-point face mesh. It is not the real mesh topology: a handful of
 * indices that tools rely on sit where MediaPipe puts them (nose tip 1, forehead 10, chin 152, cheek edges
 * 234/454, eye corners 33/133/362/263, and the 40 lip points of LIPS_IDXS on an outer and inner lip
 * contour); every other index is a point on the face surface. Coordinates are in the head frame: x to the
 * image's right, y down, z away from the camera (MediaPipe's convention), in face heights (forehead to chin).
 */
import { LIPS_IDXS } from '../../../shared/preprocess/constants.ts';

export const FACE_POINTS = 468;

/** A signer's face proportions, each a factor around 1. */
export interface FaceShape {
  readonly width: number;
  readonly height: number;
  readonly jaw: number;
  readonly eyeSpacing: number;
  readonly noseLength: number;
  readonly mouthWidth: number;
  readonly lipThickness: number;
  readonly depth: number;
}

export const NEUTRAL_FACE: FaceShape = {
  width: 1,
  height: 1,
  jaw: 1,
  eyeSpacing: 1,
  noseLength: 1,
  mouthWidth: 1,
  lipThickness: 1,
  depth: 1,
};

/** What the mouth is doing in one frame: each in 0..1. */
export interface MouthPose {
  readonly open: number;
  readonly round: number;
  readonly wide: number;
}

export const CLOSED_MOUTH: MouthPose = { open: 0, round: 0, wide: 0 };

// Outer upper lip corner to corner (11), outer lower between the corners (9), inner upper corner to the
// last point before the far corner (10), inner lower (9), far inner corner (1): the 40 points of LIPS_IDXS.
const OUTER_UPPER = LIPS_IDXS.slice(0, 11);
const OUTER_LOWER = LIPS_IDXS.slice(11, 20);
const INNER_UPPER = LIPS_IDXS.slice(20, 30);
const INNER_LOWER = LIPS_IDXS.slice(30, 39);
const INNER_FAR_CORNER = LIPS_IDXS[39]!;

const MOUTH_Y = 0.27;
const MOUTH_Z = -0.16;
// True proportions (a face is narrower than tall); the camera's aspect ratio stretches x later.
const FACE_HALF_WIDTH = 0.43;
const CHEEK_DEPTH = 0.44;
const MAX_GAP = 0.3;

export interface FaceTemplate {
  /** Neutral-pose points (468 x 3). */
  readonly points: Float64Array;
  /** How much each point follows the jaw when the mouth opens (0 above the mouth, 1 on the chin). */
  readonly jawWeight: Float64Array;
  readonly mouthHalfWidth: number;
  readonly lipThickness: number;
}

interface Landmark {
  readonly index: number;
  readonly at: readonly [number, number, number];
}

function namedLandmarks(s: FaceShape): Landmark[] {
  const ex = 0.19 * s.eyeSpacing;
  const nl = s.noseLength;
  const w = FACE_HALF_WIDTH * s.width;
  const d = s.depth;
  const eye = (x: number): Landmark[] => {
    const sign = Math.sign(x);
    return [
      { index: sign < 0 ? 33 : 263, at: [x + sign * 0.09, -0.17, 0.07 * d] },
      { index: sign < 0 ? 133 : 362, at: [x - sign * 0.08, -0.16, 0.0] },
      { index: sign < 0 ? 159 : 386, at: [x, -0.2, -0.01 * d] },
      { index: sign < 0 ? 145 : 374, at: [x, -0.14, -0.01 * d] },
      { index: sign < 0 ? 70 : 300, at: [x + sign * 0.11, -0.3, 0.05 * d] },
      { index: sign < 0 ? 105 : 334, at: [x + sign * 0.03, -0.33, -0.02 * d] },
      { index: sign < 0 ? 107 : 336, at: [x - sign * 0.09, -0.31, -0.04 * d] },
    ];
  };
  return [
    { index: 10, at: [0, -0.52 * s.height, 0.03 * d] },
    { index: 152, at: [0, 0.48 * s.height, -0.03 * d] },
    { index: 234, at: [-w, -0.02, CHEEK_DEPTH * d] },
    { index: 454, at: [w, -0.02, CHEEK_DEPTH * d] },
    { index: 1, at: [0, 0.05 * nl, -0.21 * d * nl] },
    { index: 4, at: [0, 0.0, -0.2 * d * nl] },
    { index: 5, at: [0, -0.06 * nl, -0.18 * d * nl] },
    { index: 195, at: [0, -0.1 * nl, -0.15 * d * nl] },
    { index: 197, at: [0, -0.14 * nl, -0.12 * d] },
    { index: 6, at: [0, -0.19, -0.1 * d] },
    { index: 168, at: [0, -0.24, -0.08 * d] },
    { index: 2, at: [0, 0.12 * nl, -0.15 * d] },
    { index: 94, at: [0, 0.11 * nl, -0.16 * d] },
    { index: 19, at: [0, 0.08 * nl, -0.19 * d] },
    ...eye(-ex),
    ...eye(ex),
  ];
}

/** Half-width of the face oval at height y (face-height units). */
function ovalHalfWidth(s: FaceShape, y: number): number {
  const top = -0.52 * s.height;
  const bottom = 0.48 * s.height;
  const v = (y - top) / (bottom - top);
  const upper = Math.sin(Math.PI * Math.min(1, v / 0.45) * 0.5);
  const jawNarrowing = v > 0.55 ? 1 - (1 - 0.45 * s.jaw) * ((v - 0.55) / 0.45) ** 1.6 : 1;
  return FACE_HALF_WIDTH * s.width * Math.max(0.05, upper * jawNarrowing);
}

function jawWeightAt(y: number): number {
  return Math.min(1, Math.max(0, (y - MOUTH_Y) / 0.12));
}

export function buildFaceTemplate(shape: FaceShape): FaceTemplate {
  const points = new Float64Array(FACE_POINTS * 3);
  const taken = new Uint8Array(FACE_POINTS);
  for (const i of LIPS_IDXS) taken[i] = 1;
  for (const { index, at } of namedLandmarks(shape)) {
    points.set(at, index * 3);
    taken[index] = 1;
  }
  const mouthHalfWidth = 0.16 * shape.mouthWidth;
  // Spread the remaining indices over the face oval with a golden-angle spiral (deterministic, even
  // coverage), leaving the mouth opening free.
  const free = FACE_POINTS - taken.reduce((n, t) => n + t, 0);
  const golden = Math.PI * (3 - Math.sqrt(5));
  let k = 0;
  for (let index = 0; index < FACE_POINTS; index++) {
    if (taken[index]) continue;
    for (;;) {
      k++;
      const r = Math.sqrt(((k + 0.5) / (free * 1.1)) % 1);
      const p = r * Math.cos(k * golden);
      const q = r * Math.sin(k * golden);
      const y = -0.02 + 0.5 * shape.height * q;
      const x = (ovalHalfWidth(shape, y) * p) / Math.sqrt(Math.max(1e-6, 1 - q * q));
      if (Math.abs(y - MOUTH_Y) < 0.09 && Math.abs(x) < mouthHalfWidth * 1.1) continue;
      const u = Math.min(1, Math.abs(x) / (FACE_HALF_WIDTH * shape.width));
      const cheek = CHEEK_DEPTH * (1 - Math.sqrt(1 - u * u)) + 0.04 * (y + 0.02) ** 2;
      const noseRidge = 0.05 * Math.max(0, 1 - (x * x + (y - 0.05) ** 2) / 0.04);
      points[index * 3] = x;
      points[index * 3 + 1] = y;
      points[index * 3 + 2] = shape.depth * (cheek - noseRidge);
      break;
    }
  }
  const jawWeight = new Float64Array(FACE_POINTS);
  for (let i = 0; i < FACE_POINTS; i++) {
    const x = points[i * 3]!;
    const lateral = Math.min(1, Math.abs(x) / (FACE_HALF_WIDTH * shape.width));
    jawWeight[i] = jawWeightAt(points[i * 3 + 1]!) * (1 - 0.6 * lateral);
  }
  return { points, jawWeight, mouthHalfWidth, lipThickness: shape.lipThickness };
}

/** Writes the face with the mouth posed into `out` (468 x 3, head frame). */
export function poseFace(template: FaceTemplate, mouth: MouthPose, out: Float64Array): void {
  const gap = MAX_GAP * Math.max(0, mouth.open);
  const jawDrop = gap * 0.65;
  const src = template.points;
  for (let i = 0; i < FACE_POINTS; i++) {
    out[i * 3] = src[i * 3]!;
    out[i * 3 + 1] = src[i * 3 + 1]! + jawDrop * template.jawWeight[i]!;
    out[i * 3 + 2] = src[i * 3 + 2]!;
  }
  const halfW = template.mouthHalfWidth * (1 - 0.35 * mouth.round + 0.15 * mouth.wide - 0.1 * mouth.open);
  const thick = template.lipThickness;
  const protrude = -0.05 * mouth.round;
  const bulge = 1 - 0.5 * mouth.round;
  const put = (index: number, x: number, y: number, z: number): void => {
    out[index * 3] = x;
    out[index * 3 + 1] = y;
    out[index * 3 + 2] = z;
  };
  const profile = (phi: number): number => Math.sin(phi) ** bulge;
  for (let k = 0; k <= 10; k++) {
    const phi = Math.PI * (1 - k / 10);
    const s = profile(phi);
    const x = halfW * Math.cos(phi);
    const z = MOUTH_Z + protrude - 0.04 * s;
    put(OUTER_UPPER[k]!, x, MOUTH_Y - 0.35 * gap * s - 0.07 * thick * Math.sqrt(s), z);
    const inner = k === 10 ? INNER_FAR_CORNER : INNER_UPPER[k]!;
    put(inner, x * 0.92, MOUTH_Y - 0.35 * gap * s - 0.002, z + 0.02);
    if (k >= 1 && k <= 9) {
      put(OUTER_LOWER[k - 1]!, x, MOUTH_Y + 0.65 * gap * s + 0.09 * thick * Math.sqrt(s), z);
      put(INNER_LOWER[k - 1]!, x * 0.92, MOUTH_Y + 0.65 * gap * s + 0.002, z + 0.02);
    }
  }
}
