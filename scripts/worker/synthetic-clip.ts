import {
  COORDS,
  LANDMARK_COUNTS,
  LANDMARK_OFFSETS,
  LANDMARK_TYPES,
  POINTS_PER_FRAME,
  type LandmarkType,
} from '../../src/shared/landmarks/layout.ts';
import { seededUniform } from '../../src/batch/random/pinned-generators.ts';

/** One clip as the Worker's JSON body takes it: per frame, 543 points of [x, y, z] or null (missing). */
export type ClipFrames = (readonly [number, number, number] | null)[][];

export interface SyntheticClipOptions {
  readonly frames: number;
  readonly seed: number;
  /** The signing hand; the other one is missing in every frame, as is common in the real files. */
  readonly hand: 'left_hand' | 'right_hand';
  /** Frames (from the start) in which the signing hand is missing too. */
  readonly handMissingFrames?: number;
}

/** Five decimals, like a JSON client would send: keeps the sample files small. */
const round = (v: number): number => Math.round(v * 1e5) / 1e5;

const ANCHOR: Readonly<Record<LandmarkType, readonly [number, number, number]>> = {
  face: [0.5, 0.35, 0],
  left_hand: [0.65, 0.6, -0.05],
  pose: [0.5, 0.6, -0.3],
  right_hand: [0.35, 0.6, -0.05],
};

const SPREAD: Readonly<Record<LandmarkType, number>> = {
  face: 0.12,
  left_hand: 0.08,
  pose: 0.3,
  right_hand: 0.08,
};

/**
 * A made-up clip with the shape of a real one: a face that sways a little, a pose, and one hand
 * tracing a smooth path. Not a sign; enough to exercise readers, preprocessing and the model.
 */
export function syntheticClip(opts: SyntheticClipOptions): ClipFrames {
  const random = seededUniform(opts.seed);
  const offsets = new Map<LandmarkType, [number, number, number][]>();
  for (const type of LANDMARK_TYPES) {
    offsets.set(
      type,
      Array.from({ length: LANDMARK_COUNTS[type] }, () => [
        (random() - 0.5) * SPREAD[type],
        (random() - 0.5) * SPREAD[type],
        (random() - 0.5) * 0.05,
      ]),
    );
  }
  const phase = random() * Math.PI * 2;
  const clip: ClipFrames = [];
  for (let f = 0; f < opts.frames; f++) {
    const frame: (readonly [number, number, number] | null)[] = new Array(POINTS_PER_FRAME).fill(null);
    const t = f / Math.max(1, opts.frames - 1);
    for (const type of LANDMARK_TYPES) {
      const isHand = type === 'left_hand' || type === 'right_hand';
      if (isHand && (type !== opts.hand || f < (opts.handMissingFrames ?? 0))) continue;
      const move = isHand ? 0.15 : 0.01;
      const cx = ANCHOR[type][0] + move * Math.sin(2 * Math.PI * t + phase);
      const cy = ANCHOR[type][1] + move * Math.cos(3 * Math.PI * t + phase);
      offsets.get(type)!.forEach(([dx, dy, dz], i) => {
        frame[LANDMARK_OFFSETS[type] + i] = [round(cx + dx), round(cy + dy), round(ANCHOR[type][2] + dz)];
      });
    }
    clip.push(frame);
  }
  return clip;
}

/** Dense float32 [frames, 543, 3], NaN where missing: what every reader should make of the clip. */
export function denseClipData(clip: ClipFrames): Float32Array {
  const data = new Float32Array(clip.length * POINTS_PER_FRAME * COORDS).fill(NaN);
  clip.forEach((frame, f) =>
    frame.forEach((point, p) => {
      if (point) data.set(point, (f * POINTS_PER_FRAME + p) * COORDS);
    }),
  );
  return data;
}
