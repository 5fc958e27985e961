import { beforeAll, describe, expect, it } from 'vitest';
import type { Clip } from '../../../src/shared/landmarks/clip.ts';
import {
  LandmarkFileError,
  type LandmarkErrorCode,
} from '../../../src/shared/landmarks/landmark-file-error.ts';
import { COORDS, POINTS_PER_FRAME } from '../../../src/shared/landmarks/layout.ts';
import { clipFromJsonFrames } from '../../../src/shared/landmarks/read-json.ts';
import { readLandmarkParquet } from '../../../src/shared/landmarks/read-parquet.ts';
import { hasRealData, readRealFile } from '../real-files.ts';
import { expectSameClip } from './tensor-compare.ts';

const SOURCE = 'request body';
type Point = [number | null, number | null, number | null] | null;

/** The JSON a client would send for a clip: missing points as null. */
function framesOf(clip: Clip): Point[][] {
  return Array.from({ length: clip.frameCount }, (_, f) =>
    Array.from({ length: POINTS_PER_FRAME }, (_, p): Point => {
      const at = (f * POINTS_PER_FRAME + p) * COORDS;
      const [x, y, z] = clip.data.subarray(at, at + COORDS);
      return Number.isNaN(x) ? null : [x!, y!, z!];
    }),
  );
}

function expectError(value: unknown, code: LandmarkErrorCode, ...fragments: string[]): void {
  let caught: unknown;
  try {
    clipFromJsonFrames(value, SOURCE, { maxFrames: 100 });
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(LandmarkFileError);
  const error = caught as LandmarkFileError;
  expect(error.code).toBe(code);
  expect(error.source).toBe(SOURCE);
  for (const fragment of [SOURCE, ...fragments]) expect(error.message).toContain(fragment);
}

let real: Clip;
beforeAll(async () => {
  if (!hasRealData) return;
  const path = 'train_landmark_files/2044/1813099846.parquet';
  real = await readLandmarkParquet(readRealFile(path), path);
});

describe('clipFromJsonFrames', () => {
  it.skipIf(!hasRealData)('round-trips a real clip through JSON text (frames renumbered from 0)', () => {
    const body: unknown = JSON.parse(JSON.stringify({ frames: framesOf(real) }));
    expectSameClip(clipFromJsonFrames(body, SOURCE), { ...real, firstFrame: 0 });
  });

  it('null coordinates inside a point are missing values', () => {
    const frame: Point[] = Array.from({ length: POINTS_PER_FRAME }, () => null);
    frame[3] = [0.25, null, -0.5];
    const clip = clipFromJsonFrames({ frames: [frame] }, SOURCE);
    expect(Array.from(clip.data.subarray(9, 12))).toEqual([0.25, NaN, -0.5]);
    expect(clip.data.subarray(0, 9).every(Number.isNaN)).toBe(true);
  });

  it('refuses every malformed shape with the frame and point index', () => {
    const good = (): Point[] => Array.from({ length: POINTS_PER_FRAME }, (): Point => [0.5, 0.5, 0]);
    expectError(null, 'bad_shape');
    expectError([good()], 'bad_shape');
    expectError({ frames: 'x' }, 'bad_shape');
    expectError({ frames: [] }, 'no_frames');
    expectError({ frames: [good(), good().slice(1)] }, 'bad_shape', 'frame 1', '542 entries');
    const badPoint = good() as unknown[];
    badPoint[7] = [1, 2];
    expectError({ frames: [badPoint] }, 'bad_shape', 'frame 0 point 7');
    badPoint[7] = [1, '2', 3];
    expectError({ frames: [good(), badPoint] }, 'bad_shape', 'frame 1 point 7 coordinate 1');
    badPoint[7] = { x: 1 };
    expectError({ frames: [badPoint] }, 'bad_shape', 'point 7');
  });

  it('refuses non-finite coordinates, and frames beyond the limit', () => {
    const frame = Array.from({ length: POINTS_PER_FRAME }, (): Point => null);
    frame[500] = [0, Infinity, 0];
    expectError({ frames: [frame] }, 'non_finite', 'frame 0 point 500 coordinate 1');
    frame[500] = [NaN, 0, 0];
    expectError({ frames: [frame] }, 'non_finite', 'point 500');
    frame[500] = [1e39, 0, 0];
    expectError({ frames: [frame] }, 'non_finite', 'float32');
    const empty = Array.from({ length: POINTS_PER_FRAME }, () => null);
    expectError({ frames: Array.from({ length: 101 }, () => empty) }, 'too_many_frames', '101');
  });
});
