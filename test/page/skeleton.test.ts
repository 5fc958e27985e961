import { HolisticLandmarker } from '@mediapipe/tasks-vision';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Clip } from '../../src/shared/landmarks/clip.ts';
import { COORDS, LANDMARK_OFFSETS, VALUES_PER_FRAME } from '../../src/shared/landmarks/layout.ts';
import { readLandmarkParquet } from '../../src/shared/landmarks/read-parquet.ts';
import { convexHull, estimateAspect, fitView, HAND, LIPS, POSE_UPPER_BODY } from '../../src/page/skeleton.ts';
import { hasRealData, readRealFile, realFileFacts } from '../shared/real-files.ts';

const edgesOf = (paths: readonly (readonly number[])[]): Set<string> => {
  const edges = new Set<string>();
  for (const path of paths)
    for (let i = 1; i < path.length; i++) edges.add([path[i - 1]!, path[i]!].sort((a, b) => a - b).join('-'));
  return edges;
};
const mediapipeEdges = (connections: readonly { start: number; end: number }[]): Set<string> =>
  new Set(connections.map((c) => [c.start, c.end].sort((a, b) => a - b).join('-')));

describe("the skeleton's lines are MediaPipe's", () => {
  it('lips and hands: the same edges as tasks-vision draws', () => {
    expect(edgesOf(LIPS)).toEqual(mediapipeEdges(HolisticLandmarker.FACE_LANDMARKS_LIPS));
    expect(edgesOf(HAND)).toEqual(mediapipeEdges(HolisticLandmarker.HAND_CONNECTIONS));
  });

  it('pose: its edges between shoulders, arms and hips (11 to 24)', () => {
    const upper = HolisticLandmarker.POSE_CONNECTIONS.filter(
      (c) => Math.min(c.start, c.end) >= 11 && Math.max(c.start, c.end) <= 24,
    );
    expect(edgesOf(POSE_UPPER_BODY)).toEqual(mediapipeEdges(upper));
  });
});

describe('convexHull', () => {
  it('keeps the corners of a square and drops the points inside and on its edges', () => {
    const hull = convexHull([0, 0, 2, 0, 2, 2, 0, 2, 1, 1, 1, 0, 0.5, 1.5]);
    const corners = new Set<string>();
    for (let i = 0; i < hull.length; i += 2) corners.add(`${hull[i]},${hull[i + 1]}`);
    expect(corners).toEqual(new Set(['0,0', '2,0', '2,2', '0,2']));
    expect(hull).toHaveLength(8);
  });
});

let clip: Clip;
beforeAll(async () => {
  if (!hasRealData) return;
  const { path } = realFileFacts().find((f) => f.frames >= 20 && f.nullFraction.face === 0)!;
  clip = await readLandmarkParquet(readRealFile(path), path);
});

const scaleY = (c: Clip, k: number): Clip => {
  const data = c.data.slice();
  for (let i = 1; i < data.length; i += COORDS) data[i]! *= k;
  return { ...c, data };
};

describe.skipIf(!hasRealData)('fitting a clip to the canvas', () => {
  it("estimates the video's shape from the face: halving every y means a video twice as tall", () => {
    const aspect = estimateAspect(clip);
    expect(aspect).toBeGreaterThan(0.5);
    expect(aspect).toBeLessThan(2);
    expect(estimateAspect(scaleY(clip, 0.5)) / aspect).toBeCloseTo(2, 5);
    expect(estimateAspect({ ...clip, data: new Float32Array(clip.data.length).fill(NaN) })).toBe(1);
  });

  it('puts every framed point inside the canvas, keeping the margin', () => {
    const [w, h] = [480, 360];
    const view = fitView(clip, w, h);
    let inside = 0;
    for (let f = 0; f < clip.frameCount; f++) {
      for (const offset of [LANDMARK_OFFSETS.face, LANDMARK_OFFSETS.left_hand, LANDMARK_OFFSETS.right_hand]) {
        for (let i = 0; i < 21; i++) {
          const at = f * VALUES_PER_FRAME + (offset + i) * COORDS;
          const [x, y] = [clip.data[at]!, clip.data[at + 1]!];
          if (Number.isNaN(x)) continue;
          const px = view.offsetX + x * view.scale;
          const py = view.offsetY + y * view.aspect * view.scale;
          expect(px).toBeGreaterThanOrEqual(w * 0.08 - 1e-6);
          expect(px).toBeLessThanOrEqual(w * 0.92 + 1e-6);
          expect(py).toBeGreaterThanOrEqual(h * 0.08 - 1e-6);
          expect(py).toBeLessThanOrEqual(h * 0.92 + 1e-6);
          inside++;
        }
      }
    }
    expect(inside).toBeGreaterThan(0);
  });
});
