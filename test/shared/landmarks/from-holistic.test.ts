import type { HolisticLandmarkerResult, Landmark, NormalizedLandmark } from '@mediapipe/tasks-vision';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Clip } from '../../../src/shared/landmarks/clip.ts';
import { kaggleFrameFromHolistic } from '../../../src/shared/landmarks/from-holistic.ts';
import {
  COORDS,
  LANDMARK_COUNTS,
  LANDMARK_OFFSETS,
  VALUES_PER_FRAME,
  type LandmarkType,
} from '../../../src/shared/landmarks/layout.ts';
import { readLandmarkJson } from '../../../src/shared/landmarks/read-json.ts';
import { readLandmarkParquet } from '../../../src/shared/landmarks/read-parquet.ts';
import { clipToJsonBody } from '../../../src/shared/landmarks/write-json.ts';
import { preprocessClip } from '../../../src/shared/preprocess/preprocess-clip.ts';
import { hasRealData, readRealFile, realFileFacts } from '../real-files.ts';
import { expectSameClip, firstMismatch } from './tensor-compare.ts';

/** The face landmarker's extra points after the 468 of the mesh: 5 per iris. */
const IRIS_POINTS = 10;

function pointsOf(clip: Clip, frame: number, type: LandmarkType): NormalizedLandmark[] | null {
  const start = (frame * VALUES_PER_FRAME) / COORDS + LANDMARK_OFFSETS[type];
  const points: NormalizedLandmark[] = [];
  let found = false;
  for (let i = 0; i < LANDMARK_COUNTS[type]; i++) {
    const at = (start + i) * COORDS;
    const [x, y, z] = [clip.data[at]!, clip.data[at + 1]!, clip.data[at + 2]!];
    found ||= !Number.isNaN(x);
    points.push({ x, y, z, visibility: 0.9, presence: 0.95 });
  }
  return found ? points : null;
}

/** World landmarks are metres around the hips; their values do not matter here, only that they are there. */
const worldOf = (points: NormalizedLandmark[]): Landmark[] =>
  points.map((p) => ({ x: p.x - 0.5, y: p.y - 0.5, z: p.z, visibility: p.visibility }));

/**
 * What HolisticLandmarker.detectForVideo returns for one frame of a real clip: every field of the
 * result, one list per detected part, empty lists for a part it did not find, a face of 478 points
 * (the mesh, then the irises).
 */
function holisticResultOf(clip: Clip, frame: number): HolisticLandmarkerResult {
  const face = pointsOf(clip, frame, 'face');
  const pose = pointsOf(clip, frame, 'pose');
  const left = pointsOf(clip, frame, 'left_hand');
  const right = pointsOf(clip, frame, 'right_hand');
  const irises = (mesh: NormalizedLandmark[]): NormalizedLandmark[] =>
    Array.from({ length: IRIS_POINTS }, (_, i) => ({ ...mesh[i * 40]!, x: mesh[i * 40]!.x + 0.01 }));
  return {
    faceLandmarks: face ? [[...face, ...irises(face)]] : [],
    faceBlendshapes: [],
    poseLandmarks: pose ? [pose] : [],
    poseWorldLandmarks: pose ? [worldOf(pose)] : [],
    poseSegmentationMasks: [],
    leftHandLandmarks: left ? [left] : [],
    leftHandWorldLandmarks: left ? [worldOf(left)] : [],
    rightHandLandmarks: right ? [right] : [],
    rightHandWorldLandmarks: right ? [worldOf(right)] : [],
  };
}

/** A clip rebuilt frame by frame from landmarker results, as the page's webcam path builds its window. */
function clipFromResults(results: readonly HolisticLandmarkerResult[]): Clip {
  const data = new Float32Array(results.length * VALUES_PER_FRAME);
  results.forEach((result, f) =>
    kaggleFrameFromHolistic(result, data.subarray(f * VALUES_PER_FRAME, (f + 1) * VALUES_PER_FRAME)),
  );
  return { frameCount: results.length, firstFrame: 0, data };
}

const isMissing = (clip: Clip, frame: number, type: LandmarkType): boolean =>
  Number.isNaN(clip.data[frame * VALUES_PER_FRAME + LANDMARK_OFFSETS[type] * COORDS]!);

let clips: { path: string; clip: Clip }[];
beforeAll(async () => {
  if (!hasRealData) return;
  // Every short real clip: between them they have frames without the face, without either hand, with both.
  const paths = realFileFacts()
    .filter((f) => f.frames <= 40)
    .map((f) => f.path);
  clips = await Promise.all(
    paths.map(async (path) => ({ path, clip: await readLandmarkParquet(readRealFile(path), path) })),
  );
});

describe('kaggleFrameFromHolistic', () => {
  it.skipIf(!hasRealData)(
    'rebuilds real clips exactly from landmarker results, missing face and hands included',
    () => {
      const seen = { noFace: 0, noLeft: 0, noRight: 0, bothHands: 0, frames: 0 };
      for (const { path, clip } of clips) {
        const results = Array.from({ length: clip.frameCount }, (_, f) => holisticResultOf(clip, f));
        const rebuilt = clipFromResults(results);
        const at = firstMismatch(rebuilt.data, clip.data);
        if (at >= 0)
          expect.fail(`${path}: value ${at} is ${rebuilt.data[at]}, the file has ${clip.data[at]}`);
        for (let f = 0; f < clip.frameCount; f++) {
          seen.frames++;
          if (isMissing(clip, f, 'face')) seen.noFace++;
          if (isMissing(clip, f, 'left_hand')) seen.noLeft++;
          if (isMissing(clip, f, 'right_hand')) seen.noRight++;
          if (!isMissing(clip, f, 'left_hand') && !isMissing(clip, f, 'right_hand')) seen.bothHands++;
        }
      }
      // The cases the conversion must get right are really in the data it was checked on.
      expect(seen.noFace).toBeGreaterThan(0);
      expect(seen.noLeft).toBeGreaterThan(0);
      expect(seen.noRight).toBeGreaterThan(0);
      expect(seen.bothHands).toBeGreaterThan(0);
      expect(seen.noFace).toBeLessThan(seen.frames);
    },
  );

  it.skipIf(!hasRealData)(
    'drops the iris points and ignores visibility, presence and world landmarks',
    () => {
      const { clip } = clips.find(({ clip }) => !isMissing(clip, 0, 'face'))!;
      const result = holisticResultOf(clip, 0);
      expect(result.faceLandmarks[0]).toHaveLength(LANDMARK_COUNTS.face + IRIS_POINTS);
      const frame = kaggleFrameFromHolistic(result);
      expect(frame).toHaveLength(VALUES_PER_FRAME);
      const faceEnd = LANDMARK_COUNTS.face * COORDS;
      expect(Array.from(frame.subarray(0, faceEnd))).toEqual(Array.from(clip.data.subarray(0, faceEnd)));
      // The first value after the face is the left hand's, not an iris point.
      expect(Number.isNaN(frame[faceEnd]!)).toBe(isMissing(clip, 0, 'left_hand'));
    },
  );

  it('an empty result is a frame with every point missing; it overwrites a reused buffer', () => {
    const out = new Float32Array(VALUES_PER_FRAME).fill(0.5);
    const empty: HolisticLandmarkerResult = {
      faceLandmarks: [],
      faceBlendshapes: [],
      poseLandmarks: [],
      poseWorldLandmarks: [],
      poseSegmentationMasks: [],
      leftHandLandmarks: [],
      leftHandWorldLandmarks: [],
      rightHandLandmarks: [],
      rightHandWorldLandmarks: [],
    };
    expect(kaggleFrameFromHolistic(empty, out)).toBe(out);
    expect(out.every(Number.isNaN)).toBe(true);
  });

  it.skipIf(!hasRealData)(
    'refuses a detected part with too few points and a buffer of the wrong size',
    () => {
      const { clip } = clips.find(({ clip }) => !isMissing(clip, 0, 'pose'))!;
      const result = holisticResultOf(clip, 0);
      const cut = { ...result, poseLandmarks: [result.poseLandmarks[0]!.slice(0, 32)] };
      expect(() => kaggleFrameFromHolistic(cut)).toThrow(
        /poseLandmarks\[0\] has 32 landmarks; the pose layout needs 33/,
      );
      expect(() => kaggleFrameFromHolistic(result, new Float32Array(10))).toThrow(RangeError);
    },
  );

  it.skipIf(!hasRealData)('a window sent as JSON gives the model the same inputs as the parquet file', () => {
    for (const { path, clip } of clips.slice(0, 4)) {
      const window = clipFromResults(
        Array.from({ length: clip.frameCount }, (_, f) => holisticResultOf(clip, f)),
      );
      const body = new TextEncoder().encode(JSON.stringify(clipToJsonBody(window)));
      const sent = readLandmarkJson(body, 'request body');
      expectSameClip(sent, { ...clip, firstFrame: 0 });
      const [a, b] = [preprocessClip(sent), preprocessClip(clip)];
      expect(firstMismatch(a.frames, b.frames), path).toBe(-1);
      expect(Array.from(a.nonEmptyFrameIdxs), path).toEqual(Array.from(b.nonEmptyFrameIdxs));
    }
  });
});

describe('clipToJsonBody', () => {
  it('rounds when asked, and a partly missing point keeps its known coordinates', () => {
    const data = new Float32Array(VALUES_PER_FRAME).fill(NaN);
    data.set([0.123456, NaN, -0.5], 3);
    const body = clipToJsonBody({ frameCount: 1, firstFrame: 7, data }, 3);
    expect(body.frames).toHaveLength(1);
    expect(body.frames[0]![0]).toBeNull();
    expect(body.frames[0]![1]).toEqual([0.123, null, -0.5]);
    expect(body.frames[0]!.filter((p) => p !== null)).toHaveLength(1);
  });
});
