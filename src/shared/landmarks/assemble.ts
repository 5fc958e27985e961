import type { Clip } from './clip.ts';
import { LandmarkFileError } from './landmark-file-error.ts';
import type { LandmarkColumns } from './landmark-columns.ts';
import { COORDS, LANDMARK_COUNTS, LANDMARK_OFFSETS, LANDMARK_TYPES, POINTS_PER_FRAME } from './layout.ts';
import {
  AXIS_NAMES,
  COORDINATE_LIMIT,
  isPlausibleCoordinate,
  MAX_BODY_BYTES,
  MAX_FRAMES,
} from '../limits.ts';
import type { ReadOptions } from './read-options.ts';

const OFFSET_BY_CODE: readonly number[] = LANDMARK_TYPES.map((t) => LANDMARK_OFFSETS[t]);
const COUNT_BY_CODE: readonly number[] = LANDMARK_TYPES.map((t) => LANDMARK_COUNTS[t]);

/** The caller's frame limit, never above the shared one. */
export function maxFramesOf(opts: ReadOptions | undefined): number {
  return Math.min(opts?.maxFrames ?? MAX_FRAMES, MAX_FRAMES);
}

/** Every reader refuses a body over the shared byte limit before looking into it. */
export function checkBodySize(bytes: Uint8Array, source: string): void {
  if (bytes.byteLength > MAX_BODY_BYTES) {
    throw new LandmarkFileError(
      'file_too_large',
      source,
      `${bytes.byteLength} bytes (the limit is ${MAX_BODY_BYTES})`,
    );
  }
}

/**
 * Rejects a table before decoding it when its row count alone proves the clip too long: duplicate
 * rows are an error, so a valid table has at most 543 rows per frame. This keeps a hostile file from
 * making us allocate its claimed row count.
 */
export function checkRowCount(rows: number, source: string, opts: ReadOptions | undefined): void {
  if (rows === 0) throw new LandmarkFileError('no_frames', source, 'the table has no rows');
  const maxFrames = maxFramesOf(opts);
  if (rows > maxFrames * POINTS_PER_FRAME) {
    throw new LandmarkFileError(
      'too_many_frames',
      source,
      `${rows} rows cannot fit in ${maxFrames} frames of ${POINTS_PER_FRAME} points`,
    );
  }
}

export function checkFrameCount(frameCount: number, source: string, opts: ReadOptions | undefined): void {
  if (frameCount === 0) throw new LandmarkFileError('no_frames', source, 'the clip has no frames');
  const maxFrames = maxFramesOf(opts);
  if (frameCount > maxFrames) {
    throw new LandmarkFileError(
      'too_many_frames',
      source,
      `${frameCount} frames (the limit is ${maxFrames})`,
    );
  }
}

/** A [frameCount, 543, 3] tensor of NaN: every landmark missing until a row says otherwise. */
export function missingClipData(frameCount: number): Float32Array {
  return new Float32Array(frameCount * POINTS_PER_FRAME * COORDS).fill(NaN);
}

/** Checked after the float32 store, so float64 values beyond float32's range are caught too. */
function isInfinite(value: number): boolean {
  return value === Infinity || value === -Infinity;
}

/** Whether a stored (float32) coordinate is missing (NaN) or one MediaPipe could give. */
export function isAcceptableCoordinate(value: number, axis: number): boolean {
  return Number.isNaN(value) || isPlausibleCoordinate(axis, value);
}

/**
 * The error for a coordinate that is not acceptable; `where` names its frame and point. Built only
 * when one is found: the readers check ~10^6 coordinates per clip and must not pay for messages.
 */
export function coordinateError(
  value: number,
  axis: number,
  source: string,
  where: string,
): LandmarkFileError {
  const name = AXIS_NAMES[axis];
  if (isInfinite(value))
    return new LandmarkFileError('non_finite', source, `${where} has ${name} infinite in float32`);
  return new LandmarkFileError(
    'coordinate_out_of_range',
    source,
    `${where} has ${name} = ${value}, outside what MediaPipe gives (|${name}| <= ${COORDINATE_LIMIT[axis]})`,
  );
}

/** A clip with no landmark anywhere carries nothing to recognise; every reader refuses it alike. */
export function checkHasLandmarks(present: number, source: string): void {
  if (present === 0) {
    throw new LandmarkFileError('no_landmarks', source, 'every landmark of every frame is missing');
  }
}

/**
 * Places each row at (frame - first frame, type offset + landmark_index). The frame count is
 * max - min + 1 of the frame column: frames with no rows in between stay all-NaN, so a row's position
 * in the tensor is its true distance from the first frame (preprocessing reports those positions).
 */
export function assembleClip(columns: LandmarkColumns, source: string, opts?: ReadOptions): Clip {
  const { length, frame, typeCode, landmarkIndex, x, y, z } = columns;
  checkRowCount(length, source, opts);

  let minFrame = Infinity;
  let maxFrame = -Infinity;
  for (let r = 0; r < length; r++) {
    const f = frame[r]!;
    if (!Number.isSafeInteger(f)) {
      throw new LandmarkFileError(
        'bad_frame',
        source,
        `frame is ${Number.isNaN(f) ? 'null' : f} at row ${r}`,
      );
    }
    if (f < minFrame) minFrame = f;
    if (f > maxFrame) maxFrame = f;
  }
  const frameCount = maxFrame - minFrame + 1;
  checkFrameCount(frameCount, source, opts);

  const data = missingClipData(frameCount);
  const filled = new Uint8Array(frameCount * POINTS_PER_FRAME);
  let present = 0;
  for (let r = 0; r < length; r++) {
    const code = typeCode[r]!;
    const count = COUNT_BY_CODE[code];
    if (count === undefined) {
      throw new LandmarkFileError('unknown_type', source, `type code ${code} at row ${r}`);
    }
    const index = landmarkIndex[r]!;
    if (!(Number.isInteger(index) && index >= 0 && index < count)) {
      throw new LandmarkFileError(
        'landmark_index_out_of_range',
        source,
        `landmark_index ${Number.isNaN(index) ? 'null' : index} at row ${r} is outside 0..${count - 1} for ${LANDMARK_TYPES[code]}`,
      );
    }
    const point = (frame[r]! - minFrame) * POINTS_PER_FRAME + OFFSET_BY_CODE[code]! + index;
    if (filled[point] === 1) {
      throw new LandmarkFileError(
        'duplicate_landmark',
        source,
        `row ${r} repeats frame ${frame[r]} ${LANDMARK_TYPES[code]} ${index}`,
      );
    }
    filled[point] = 1;
    const at = point * COORDS;
    data[at] = x[r]!;
    data[at + 1] = y[r]!;
    data[at + 2] = z[r]!;
    let seen = false;
    for (let c = 0; c < COORDS; c++) {
      const value = data[at + c]!;
      if (!isAcceptableCoordinate(value, c)) {
        throw coordinateError(
          value,
          c,
          source,
          `row ${r} (frame ${frame[r]} ${LANDMARK_TYPES[code]} ${index})`,
        );
      }
      if (value === value) seen = true;
    }
    if (seen) present++;
  }
  checkHasLandmarks(present, source);
  return { frameCount, firstFrame: minFrame, data };
}
