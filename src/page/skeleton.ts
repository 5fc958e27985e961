import type { Clip } from '../shared/landmarks/clip.ts';
import { COORDS, LANDMARK_OFFSETS, VALUES_PER_FRAME, type LandmarkType } from '../shared/landmarks/layout.ts';

/**
 * The lines of MediaPipe's own drawings, as index paths within each part (the same edges as
 * HolisticLandmarker.FACE_LANDMARKS_LIPS, HAND_CONNECTIONS and POSE_CONNECTIONS; a test compares them).
 * Copied rather than imported so the page does not load MediaPipe's 150 KB bundle to draw a clip.
 * The face outline is the hull of the mesh rather than MediaPipe's oval path: synthetic clips place
 * only the lips and a few named points where a real face has them.
 */
export const LIPS: readonly (readonly number[])[] = [
  [61, 146, 91, 181, 84, 17, 314, 405, 321, 375, 291],
  [61, 185, 40, 39, 37, 0, 267, 269, 270, 409, 291],
  [78, 95, 88, 178, 87, 14, 317, 402, 318, 324, 308],
  [78, 191, 80, 81, 82, 13, 312, 311, 310, 415, 308],
];
export const HAND: readonly (readonly number[])[] = [
  [0, 1, 2, 3, 4],
  [0, 5, 6, 7, 8],
  [9, 10, 11, 12],
  [13, 14, 15, 16],
  [0, 17, 18, 19, 20],
  [5, 9, 13, 17],
];
/** Arms and torso only: the face has its mesh, and legs are mostly out of shot in sign recordings. */
export const POSE_UPPER_BODY: readonly (readonly number[])[] = [
  [11, 12],
  [11, 13, 15, 17, 19, 15, 21],
  [12, 14, 16, 18, 20, 16, 22],
  [11, 23, 24, 12],
];

interface PartStyle {
  readonly type: LandmarkType;
  readonly paths: readonly (readonly number[])[];
  readonly color: string;
  readonly width: number;
  readonly dots: boolean;
}

/** Colours are named in the page's legend; they keep 3:1 contrast on the dark stage. */
export const PART_COLORS = {
  face: '#b8c2cc',
  lips: '#ff7b8a',
  left_hand: '#5cb8ff',
  right_hand: '#ffb347',
  pose: '#7ddc8a',
} as const;

const PARTS: readonly PartStyle[] = [
  { type: 'pose', paths: POSE_UPPER_BODY, color: PART_COLORS.pose, width: 3, dots: false },
  { type: 'face', paths: LIPS, color: PART_COLORS.lips, width: 2, dots: false },
  { type: 'left_hand', paths: HAND, color: PART_COLORS.left_hand, width: 2.5, dots: true },
  { type: 'right_hand', paths: HAND, color: PART_COLORS.right_hand, width: 2.5, dots: true },
];

export const STAGE_BACKGROUND = '#12161c';

/**
 * Normalized image coordinates -> canvas pixels. Landmark files give x and y as fractions of the video's
 * width and height but not the video's shape, so y is stretched by `aspect` (height / width) to draw
 * people in proportion.
 */
export interface View {
  readonly scale: number;
  readonly aspect: number;
  readonly offsetX: number;
  readonly offsetY: number;
  /** Draw x flipped: a selfie view of the webcam. */
  readonly mirror: boolean;
}

/** Shoulders, arms and hands frame the picture; hips are often estimated far out of shot. */
const FRAMED_POINTS: readonly (readonly [LandmarkType, number, number])[] = [
  ['face', 0, 468],
  ['left_hand', 0, 21],
  ['right_hand', 0, 21],
  ['pose', 11, 23],
];

/** The face mesh's bounding box is about 1.1 times as tall as wide (real Kaggle faces and synthetic ones). */
const FACE_HEIGHT_PER_WIDTH = 1.1;

/**
 * The video's height / width, estimated from how tall the face's bounding box is in normalized
 * coordinates (the median over frames); 1 when the clip has no face.
 */
export function estimateAspect(clip: Clip): number {
  const ratios: number[] = [];
  for (let f = 0; f < clip.frameCount; f++) {
    let [minX, minY, maxX, maxY] = [Infinity, Infinity, -Infinity, -Infinity];
    for (let i = 0; i < 468; i++) {
      const at = f * VALUES_PER_FRAME + i * COORDS;
      const x = clip.data[at]!;
      const y = clip.data[at + 1]!;
      if (!Number.isFinite(x) || !Number.isFinite(y)) continue;
      [minX, maxX, minY, maxY] = [Math.min(minX, x), Math.max(maxX, x), Math.min(minY, y), Math.max(maxY, y)];
    }
    if (maxX > minX && maxY > minY) ratios.push((maxY - minY) / (maxX - minX));
  }
  if (ratios.length === 0) return 1;
  ratios.sort((a, b) => a - b);
  const aspect = FACE_HEIGHT_PER_WIDTH / ratios[Math.floor(ratios.length / 2)]!;
  return Math.min(2.5, Math.max(0.4, aspect));
}

/**
 * The view that fits the clip's framing points (all frames) into a width x height canvas with a
 * margin. A clip with nothing to draw gets the whole unit square.
 */
export function fitView(clip: Clip, width: number, height: number, mirror = false): View {
  const aspect = estimateAspect(clip);
  let [minX, minY, maxX, maxY] = [Infinity, Infinity, -Infinity, -Infinity];
  for (let f = 0; f < clip.frameCount; f++) {
    for (const [type, from, to] of FRAMED_POINTS) {
      for (let i = from; i < to; i++) {
        const at = f * VALUES_PER_FRAME + (LANDMARK_OFFSETS[type] + i) * COORDS;
        const x = clip.data[at]!;
        const y = clip.data[at + 1]! * aspect;
        if (!Number.isFinite(x) || !Number.isFinite(y)) continue;
        [minX, maxX, minY, maxY] = [
          Math.min(minX, x),
          Math.max(maxX, x),
          Math.min(minY, y),
          Math.max(maxY, y),
        ];
      }
    }
  }
  if (!(maxX >= minX)) [minX, minY, maxX, maxY] = [0, 0, 1, aspect];
  const margin = 0.08;
  const spanX = Math.max(maxX - minX, 0.05);
  const spanY = Math.max(maxY - minY, 0.05);
  const scale = Math.min((width * (1 - 2 * margin)) / spanX, (height * (1 - 2 * margin)) / spanY);
  return {
    scale,
    aspect,
    offsetX: width / 2 - ((minX + maxX) / 2) * scale,
    offsetY: height / 2 - ((minY + maxY) / 2) * scale,
    mirror,
  };
}

/** The whole camera image on the canvas: a live view must not rescale as hands move. */
export function unitView(width: number, height: number, videoAspect: number, mirror: boolean): View {
  const scale = Math.min(width, height / videoAspect);
  return {
    scale,
    aspect: videoAspect,
    offsetX: (width - scale) / 2,
    offsetY: (height - scale * videoAspect) / 2,
    mirror,
  };
}

/** Convex hull (Andrew's monotone chain) of points given as [x0, y0, x1, y1, ...]; counter-clockwise. */
export function convexHull(xy: readonly number[]): number[] {
  const n = xy.length / 2;
  const order = Array.from({ length: n }, (_, i) => i).sort(
    (a, b) => xy[2 * a]! - xy[2 * b]! || xy[2 * a + 1]! - xy[2 * b + 1]!,
  );
  const cross = (o: number, a: number, b: number): number =>
    (xy[2 * a]! - xy[2 * o]!) * (xy[2 * b + 1]! - xy[2 * o + 1]!) -
    (xy[2 * a + 1]! - xy[2 * o + 1]!) * (xy[2 * b]! - xy[2 * o]!);
  const chain = (indices: number[]): number[] => {
    const out: number[] = [];
    for (const i of indices) {
      while (out.length >= 2 && cross(out[out.length - 2]!, out[out.length - 1]!, i) <= 0) out.pop();
      out.push(i);
    }
    out.pop();
    return out;
  };
  if (n < 3) return order.flatMap((i) => [xy[2 * i]!, xy[2 * i + 1]!]);
  return [...chain(order), ...chain([...order].reverse())].flatMap((i) => [xy[2 * i]!, xy[2 * i + 1]!]);
}

/** Which parts the frame has, for the canvas's text alternative. */
export function partsPresent(clip: Clip, frame: number): LandmarkType[] {
  const types: LandmarkType[] = ['face', 'left_hand', 'right_hand', 'pose'];
  // MediaPipe reports a part whole or not at all: its first point says which.
  return types.filter(
    (type) => !Number.isNaN(clip.data[frame * VALUES_PER_FRAME + LANDMARK_OFFSETS[type] * COORDS]!),
  );
}

/** Paints one frame of the clip: background, then pose, face outline, lips and both hands. */
export function drawFrame(ctx: CanvasRenderingContext2D, clip: Clip, frame: number, view: View): void {
  const { width, height } = ctx.canvas;
  ctx.fillStyle = STAGE_BACKGROUND;
  ctx.fillRect(0, 0, width, height);
  if (frame < 0 || frame >= clip.frameCount) return;
  const base = frame * VALUES_PER_FRAME;
  const px = (x: number): number => {
    const p = view.offsetX + x * view.scale;
    return view.mirror ? width - p : p;
  };
  const py = (y: number): number => view.offsetY + y * view.aspect * view.scale;
  ctx.lineCap = 'round';
  ctx.lineJoin = 'round';
  drawFaceOutline(ctx, clip.data, base, px, py);
  for (const part of PARTS) {
    const start = base + LANDMARK_OFFSETS[part.type] * COORDS;
    const xy = (i: number): [number, number] | null => {
      const x = clip.data[start + i * COORDS]!;
      const y = clip.data[start + i * COORDS + 1]!;
      return Number.isFinite(x) && Number.isFinite(y) ? [px(x), py(y)] : null;
    };
    ctx.strokeStyle = part.color;
    ctx.fillStyle = part.color;
    ctx.lineWidth = part.width;
    ctx.beginPath();
    for (const path of part.paths) {
      let pen = false;
      for (const i of path) {
        const p = xy(i);
        if (p === null) {
          pen = false;
          continue;
        }
        if (pen) ctx.lineTo(p[0], p[1]);
        else ctx.moveTo(p[0], p[1]);
        pen = true;
      }
    }
    ctx.stroke();
    if (part.dots) {
      for (let i = 0; i < 21; i++) {
        const p = xy(i);
        if (p === null) continue;
        ctx.beginPath();
        ctx.arc(p[0], p[1], part.width + 0.5, 0, 2 * Math.PI);
        ctx.fill();
      }
    }
  }
}

function drawFaceOutline(
  ctx: CanvasRenderingContext2D,
  data: Float32Array,
  base: number,
  px: (x: number) => number,
  py: (y: number) => number,
): void {
  const xy: number[] = [];
  for (let i = 0; i < 468; i++) {
    const x = data[base + i * COORDS]!;
    const y = data[base + i * COORDS + 1]!;
    if (Number.isFinite(x) && Number.isFinite(y)) xy.push(px(x), py(y));
  }
  if (xy.length < 6) return;
  const hull = convexHull(xy);
  ctx.strokeStyle = PART_COLORS.face;
  ctx.lineWidth = 2;
  ctx.beginPath();
  ctx.moveTo(hull[0]!, hull[1]!);
  for (let i = 2; i < hull.length; i += 2) ctx.lineTo(hull[i]!, hull[i + 1]!);
  ctx.closePath();
  ctx.stroke();
}
