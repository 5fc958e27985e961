import { checkFrameCount, missingClipData } from './assemble.ts';
import type { Clip } from './clip.ts';
import { LandmarkFileError } from './landmark-file-error.ts';
import { COORDS, POINTS_PER_FRAME } from './layout.ts';
import type { ReadOptions } from './read-options.ts';

/** Larger magnitudes become Infinity in the float32 tensor. */
const FLOAT32_MAX = 3.4028234663852886e38;

/**
 * The Worker's JSON body `{"frames": [[[x, y, z] | null, ... 543 entries], ...]}` -> clip tensor.
 * Frames are consecutive from 0. A point is null (missing) or three coordinates, each a finite number
 * or null (NaN in the tensor). Anything else is refused, naming the frame and point, rather than
 * guessed at: a client bug should surface, not become a silently wrong prediction.
 */
export function clipFromJsonFrames(value: unknown, source: string, opts?: ReadOptions): Clip {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new LandmarkFileError('bad_shape', source, 'expected an object {"frames": [...]}');
  }
  const frames = (value as { frames?: unknown }).frames;
  if (!Array.isArray(frames)) throw new LandmarkFileError('bad_shape', source, '"frames" must be an array');
  if (frames.length === 0) throw new LandmarkFileError('no_frames', source, '"frames" is empty');
  checkFrameCount(frames.length, source, opts);

  const data = missingClipData(frames.length);
  for (let f = 0; f < frames.length; f++) {
    const frame: unknown = frames[f];
    if (!Array.isArray(frame) || frame.length !== POINTS_PER_FRAME) {
      const got = Array.isArray(frame) ? `${frame.length} entries` : typeof frame;
      throw new LandmarkFileError(
        'bad_shape',
        source,
        `frame ${f} must be an array of ${POINTS_PER_FRAME} points, got ${got}`,
      );
    }
    for (let p = 0; p < POINTS_PER_FRAME; p++) {
      const point: unknown = frame[p];
      if (point === null) continue;
      if (!Array.isArray(point) || point.length !== COORDS) {
        throw new LandmarkFileError('bad_shape', source, `frame ${f} point ${p} must be null or [x, y, z]`);
      }
      const at = (f * POINTS_PER_FRAME + p) * COORDS;
      for (let c = 0; c < COORDS; c++) {
        const coordinate: unknown = point[c];
        if (coordinate === null) continue;
        if (typeof coordinate !== 'number') {
          throw new LandmarkFileError(
            'bad_shape',
            source,
            `frame ${f} point ${p} coordinate ${c} is not a number or null`,
          );
        }
        if (!(Math.abs(coordinate) <= FLOAT32_MAX)) {
          throw new LandmarkFileError(
            'non_finite',
            source,
            `frame ${f} point ${p} coordinate ${c} is ${coordinate}, not finite in float32`,
          );
        }
        data[at + c] = coordinate;
      }
    }
  }
  return { frameCount: frames.length, firstFrame: 0, data };
}
