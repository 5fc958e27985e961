import type { Clip } from './clip.ts';
import { COORDS, POINTS_PER_FRAME, VALUES_PER_FRAME } from './layout.ts';

export type JsonPoint = [number | null, number | null, number | null] | null;

/** The Worker's JSON clip body, as `clipFromJsonFrames` reads it. */
export interface JsonClipBody {
  frames: JsonPoint[][];
}

/**
 * Clip tensor -> the JSON body POST /v1/predict takes: a point whose three coordinates are all NaN is
 * `null` (missing), a lone NaN coordinate is `null` too. `decimals` rounds coordinates to keep a body
 * small (a browser sending a window of webcam frames); without it the float32 values go out exactly,
 * so reading the body back gives the same tensor.
 */
export function clipToJsonBody(clip: Clip, decimals?: number): JsonClipBody {
  const scale = decimals === undefined ? 0 : 10 ** decimals;
  const coordinate = (v: number): number | null =>
    Number.isNaN(v) ? null : scale === 0 ? v : Math.round(v * scale) / scale;
  const frames: JsonPoint[][] = [];
  for (let f = 0; f < clip.frameCount; f++) {
    const frame: JsonPoint[] = new Array<JsonPoint>(POINTS_PER_FRAME);
    for (let p = 0; p < POINTS_PER_FRAME; p++) {
      const at = f * VALUES_PER_FRAME + p * COORDS;
      const x = clip.data[at]!;
      const y = clip.data[at + 1]!;
      const z = clip.data[at + 2]!;
      frame[p] =
        Number.isNaN(x) && Number.isNaN(y) && Number.isNaN(z)
          ? null
          : [coordinate(x), coordinate(y), coordinate(z)];
    }
    frames.push(frame);
  }
  return { frames };
}
