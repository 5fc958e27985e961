import type { Clip } from '../landmarks/clip.ts';
import { COORDS, POINTS_PER_FRAME } from '../landmarks/layout.ts';
import { INPUT_SIZE, N_COORDS, N_POINTS } from './constants.ts';
import { chooseDominantHand, handPresence } from './dominant-hand.ts';
import { frameWindow } from './frame-windows.ts';
import type { ModelInputs } from './model-inputs.ts';
import { modelPointIndices } from './model-points.ts';

const VALUES_PER_OUTPUT_FRAME = N_POINTS * N_COORDS;

/**
 * The baseline's preprocessing, the one place training, batch scoring and the Worker turn a clip into
 * model inputs:
 * 1. dominant hand = the hand present in more frames (ties: left);
 * 2. keep the frames where it is present (all frames if it never is);
 * 3. take the 66 model points; a right-dominant clip takes the right hand and arm and mirrors every
 *    point's x -> 1 - x (lips too) onto the left-dominant layout;
 * 4. N kept frames -> 64: N < 64 copies them and pads with zero frames (index -1); N >= 64 makes
 *    output frame t the NaN-ignoring mean of kept frames floor(t*N/64) .. floor((t+1)*N/64)-1;
 *    indices (position in the clip minus the first kept position) are averaged the same way;
 * 5. NaN -> 0, including the mean of a window where a value is missing in every frame.
 */
export function preprocessClip(clip: Clip): ModelInputs {
  if (clip.data.length !== clip.frameCount * POINTS_PER_FRAME * COORDS) {
    throw new RangeError(
      `clip data holds ${clip.data.length} values, expected ${clip.frameCount} x ${POINTS_PER_FRAME} x ${COORDS}`,
    );
  }
  const left = handPresence(clip, 'left');
  const right = handPresence(clip, 'right');
  const hand = chooseDominantHand(left, right);
  const positions = keptFramePositions(hand === 'left' ? left : right);
  const points = modelPointIndices(hand);
  return positions.length < INPUT_SIZE
    ? padFrames(clip, positions, points, hand === 'right')
    : poolFrames(clip, positions, points, hand === 'right');
}

/** Positions of the frames where the dominant hand is present, or of every frame if none. */
export function keptFramePositions(present: Uint8Array): Int32Array {
  const kept: number[] = [];
  for (let f = 0; f < present.length; f++) if (present[f] === 1) kept.push(f);
  if (kept.length === 0) for (let f = 0; f < present.length; f++) kept.push(f);
  return Int32Array.from(kept);
}

/** One model coordinate of clip frame `position`, mirrored if asked; NaN when missing. */
function modelValue(clip: Clip, position: number, point: number, coord: number, mirror: boolean): number {
  const value = clip.data[(position * POINTS_PER_FRAME + point) * COORDS + coord]!;
  return mirror && coord === 0 ? 1 - value : value;
}

function padFrames(clip: Clip, positions: Int32Array, points: Int32Array, mirror: boolean): ModelInputs {
  const frames = new Float32Array(INPUT_SIZE * VALUES_PER_OUTPUT_FRAME);
  const nonEmptyFrameIdxs = new Float32Array(INPUT_SIZE).fill(-1);
  const first = positions[0] ?? 0;
  for (let t = 0; t < positions.length; t++) {
    const position = positions[t]!;
    nonEmptyFrameIdxs[t] = position - first;
    for (let p = 0; p < N_POINTS; p++) {
      for (let c = 0; c < N_COORDS; c++) {
        const value = modelValue(clip, position, points[p]!, c, mirror);
        frames[t * VALUES_PER_OUTPUT_FRAME + p * N_COORDS + c] = Number.isNaN(value) ? 0 : value;
      }
    }
  }
  return { frames, nonEmptyFrameIdxs };
}

function poolFrames(clip: Clip, positions: Int32Array, points: Int32Array, mirror: boolean): ModelInputs {
  const n = positions.length;
  const frames = new Float32Array(INPUT_SIZE * VALUES_PER_OUTPUT_FRAME);
  const nonEmptyFrameIdxs = new Float32Array(INPUT_SIZE);
  const first = positions[0]!;
  for (let t = 0; t < INPUT_SIZE; t++) {
    const [start, end] = frameWindow(t, n);
    let indexSum = 0;
    for (let k = start; k < end; k++) indexSum += positions[k]! - first;
    nonEmptyFrameIdxs[t] = indexSum / (end - start);
    for (let p = 0; p < N_POINTS; p++) {
      for (let c = 0; c < N_COORDS; c++) {
        frames[t * VALUES_PER_OUTPUT_FRAME + p * N_COORDS + c] = nanMean(
          clip,
          positions,
          start,
          end,
          points[p]!,
          c,
          mirror,
        );
      }
    }
  }
  return { frames, nonEmptyFrameIdxs };
}

/** Mean of the non-NaN values over kept frames [start, end); 0 when all are NaN (NaN -> 0). */
function nanMean(
  clip: Clip,
  positions: Int32Array,
  start: number,
  end: number,
  point: number,
  coord: number,
  mirror: boolean,
): number {
  let sum = 0;
  let count = 0;
  for (let k = start; k < end; k++) {
    const value = modelValue(clip, positions[k]!, point, coord, mirror);
    if (!Number.isNaN(value)) {
      sum += value;
      count++;
    }
  }
  return count === 0 ? 0 : sum / count;
}
