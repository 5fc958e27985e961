/**
 * A crude, hand-made description of a clip for the learnability check: where the dominant hand is relative
 * to the face (mean and spread), its shape (fingertip distances) and its net movement.
 */
import type { Clip } from '../../../../src/shared/landmarks/clip.ts';
import { LANDMARK_OFFSETS, VALUES_PER_FRAME } from '../../../../src/shared/landmarks/layout.ts';

export function clipFeatures(clip: Clip): number[] {
  const { data, frameCount } = clip;
  const at = (f: number, point: number, c: number): number => data[f * VALUES_PER_FRAME + point * 3 + c]!;
  const present = (f: number, offset: number): boolean => !Number.isNaN(at(f, offset, 0));
  let left = 0;
  let right = 0;
  for (let f = 0; f < frameCount; f++) {
    if (present(f, LANDMARK_OFFSETS.left_hand)) left++;
    if (present(f, LANDMARK_OFFSETS.right_hand)) right++;
  }
  const hand = left >= right ? LANDMARK_OFFSETS.left_hand : LANDMARK_OFFSETS.right_hand;
  const flip = hand === LANDMARK_OFFSETS.right_hand ? -1 : 1;
  const frames = [...Array(frameCount).keys()].filter((f) => present(f, hand) && !Number.isNaN(at(f, 1, 0)));
  const dims = 21 * 2 * 2 + 5 + 2;
  if (frames.length === 0) return new Array<number>(dims).fill(0);
  const sum = new Array<number>(42).fill(0);
  const sq = new Array<number>(42).fill(0);
  const tips = new Array<number>(5).fill(0);
  for (const f of frames) {
    const noseX = at(f, 1, 0);
    const noseY = at(f, 1, 1);
    const faceH = Math.hypot(at(f, 152, 0) - at(f, 10, 0), at(f, 152, 1) - at(f, 10, 1)) || 1;
    for (let p = 0; p < 21; p++) {
      const x = (flip * (at(f, hand + p, 0) - noseX)) / faceH;
      const y = (at(f, hand + p, 1) - noseY) / faceH;
      sum[p * 2]! += x;
      sum[p * 2 + 1]! += y;
      sq[p * 2]! += x * x;
      sq[p * 2 + 1]! += y * y;
    }
    const size = Math.hypot(at(f, hand + 9, 0) - at(f, hand, 0), at(f, hand + 9, 1) - at(f, hand, 1)) || 1;
    [4, 8, 12, 16, 20].forEach((tip, i) => {
      tips[i]! +=
        Math.hypot(at(f, hand + tip, 0) - at(f, hand, 0), at(f, hand + tip, 1) - at(f, hand, 1)) / size;
    });
  }
  const n = frames.length;
  const mean = sum.map((s) => s / n);
  const sd = sq.map((s, i) => Math.sqrt(Math.max(0, s / n - mean[i]! ** 2)));
  const first = frames[0]!;
  const last = frames[n - 1]!;
  const move = [
    (flip * (at(last, hand, 0) - at(first, hand, 0))) / 0.25,
    (at(last, hand, 1) - at(first, hand, 1)) / 0.25,
  ];
  return [...mean, ...sd, ...tips.map((t) => t / n), ...move];
}

/** Nearest-centroid classification after z-scoring with the training set's statistics. */
export function nearestCentroidAccuracy(
  train: readonly { x: number[]; y: number }[],
  test: readonly { x: number[]; y: number }[],
): number {
  const dims = train[0]!.x.length;
  const mu = new Array<number>(dims).fill(0);
  const sd = new Array<number>(dims).fill(0);
  for (const { x } of train) x.forEach((v, i) => (mu[i]! += v / train.length));
  for (const { x } of train) x.forEach((v, i) => (sd[i]! += (v - mu[i]!) ** 2 / train.length));
  const z = (x: number[]): number[] => x.map((v, i) => (v - mu[i]!) / (Math.sqrt(sd[i]!) || 1));
  const centroids = new Map<number, { sum: number[]; n: number }>();
  for (const { x, y } of train) {
    const c = centroids.get(y) ?? { sum: new Array<number>(dims).fill(0), n: 0 };
    z(x).forEach((v, i) => (c.sum[i]! += v));
    c.n++;
    centroids.set(y, c);
  }
  let correct = 0;
  for (const { x, y } of test) {
    const zx = z(x);
    let best = -1;
    let bestDist = Infinity;
    for (const [label, c] of centroids) {
      let d = 0;
      for (let i = 0; i < dims; i++) d += (zx[i]! - c.sum[i]! / c.n) ** 2;
      if (d < bestDist) {
        bestDist = d;
        best = label;
      }
    }
    if (best === y) correct++;
  }
  return correct / test.length;
}
