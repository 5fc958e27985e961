import { beforeAll, describe, expect, it } from 'vitest';
import type { Clip } from '../../../src/shared/landmarks/clip.ts';
import {
  LandmarkFileError,
  type LandmarkErrorCode,
} from '../../../src/shared/landmarks/landmark-file-error.ts';
import { COORDS, POINTS_PER_FRAME } from '../../../src/shared/landmarks/layout.ts';
import { readLandmarkJson } from '../../../src/shared/landmarks/read-json.ts';
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

const encode = (value: unknown): Uint8Array => new TextEncoder().encode(JSON.stringify(value));

/** `body`: a value to send as JSON, or the exact text. */
function expectError(body: unknown, code: LandmarkErrorCode, ...fragments: string[]): void {
  let caught: unknown;
  try {
    const bytes = typeof body === 'string' ? new TextEncoder().encode(body) : encode(body);
    readLandmarkJson(bytes, SOURCE, { maxFrames: 100 });
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

describe('readLandmarkJson', () => {
  it.skipIf(!hasRealData)('round-trips a real clip through JSON text (frames renumbered from 0)', () => {
    expectSameClip(readLandmarkJson(encode({ frames: framesOf(real) }), SOURCE), { ...real, firstFrame: 0 });
  });

  it.skipIf(!hasRealData)(
    'reads the JSON grammar whatever its spacing, escapes, key order and extra keys',
    () => {
      const points = framesOf(real)[0]!;
      const text = JSON.stringify({ model: { any: ['thing', 1e3, true, null] }, frames: [points] }, null, 2);
      const clip = readLandmarkJson(
        new TextEncoder().encode(`\ufeff\t${text.replace('"frames"', '"fr\\u0061mes"')}\r\n`),
        SOURCE,
      );
      expectSameClip(clip, { frameCount: 1, firstFrame: 0, data: real.data.slice(0, clip.data.length) });
    },
  );

  it('null coordinates inside a point are missing values', () => {
    const frame: Point[] = Array.from({ length: POINTS_PER_FRAME }, () => null);
    frame[3] = [0.25, null, -0.5];
    const clip = readLandmarkJson(encode({ frames: [frame] }), SOURCE);
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

  it('refuses non-finite coordinates, ones outside what MediaPipe gives, and frames beyond the limit', () => {
    const frame = Array.from({ length: POINTS_PER_FRAME }, (): Point => [0.5, 0.5, 0]);
    const text = (point: string): string =>
      JSON.stringify({ frames: [frame] }).replace(/\[0\.5,0\.5,0\]/, point);
    expectError(text('[0,1e400,0]'), 'non_finite', 'frame 0 point 0', 'y');
    expectError(text('[1e39,0,0]'), 'non_finite', 'float32');
    expectError(text('[1e10,0,0]'), 'coordinate_out_of_range', 'frame 0 point 0', 'x = 10000000000');
    expectError(text('[0,0,-3e38]'), 'coordinate_out_of_range', 'z');
    const empty = Array.from({ length: POINTS_PER_FRAME }, () => null);
    expectError({ frames: Array.from({ length: 101 }, () => empty) }, 'too_many_frames', '101');
  });

  it('refuses a clip with no landmark at all', () => {
    const empty = Array.from({ length: POINTS_PER_FRAME }, () => null);
    expectError({ frames: [empty, empty] }, 'no_landmarks');
    const nulls = Array.from({ length: POINTS_PER_FRAME }, () => [null, null, null]);
    expectError({ frames: [nulls] }, 'no_landmarks');
  });

  it('invalid JSON is invalid_json, whatever shape it starts with; valid JSON of another shape is bad_shape', () => {
    const frame = JSON.stringify(Array.from({ length: POINTS_PER_FRAME }, () => [0.5, 0.5, 0]));
    expectError(`{"frames":[${frame}`, 'invalid_json');
    expectError(`{"frames":[${frame}]}}`, 'invalid_json');
    expectError(`{"frames":[${frame.slice(0, -1)},]]}`, 'invalid_json');
    expectError(`{"frames":[${frame}], "x": NaN}`, 'invalid_json');
    expectError(`{"frames":[${frame}], "x": "\\u00zz"}`, 'invalid_json');
    expectError('[1, 2', 'invalid_json');
    expectError('', 'invalid_json');
    expectError('{"frames":[[1, 2]], "tail": [}', 'invalid_json');
    expectError('{"frames":[[1, 2]]}', 'bad_shape', 'frame 0 point 0');
    expectError(`{"frames":[${frame}], "x": ${'['.repeat(100)}${']'.repeat(99)}}`, 'invalid_json');
    let caught: unknown;
    try {
      readLandmarkJson(new Uint8Array([0x7b, 0xff, 0x7d]), SOURCE);
    } catch (error) {
      caught = error;
    }
    expect(caught).toMatchObject({ code: 'invalid_json', message: expect.stringContaining('UTF-8') });
  });
});
