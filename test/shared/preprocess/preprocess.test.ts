import { describe, expect, it } from 'vitest';
import type { Clip } from '../../../src/shared/landmarks/clip.ts';
import { LANDMARK_OFFSETS, type LandmarkType } from '../../../src/shared/landmarks/layout.ts';
import { frameWindow } from '../../../src/shared/preprocess/frame-windows.ts';
import type { ModelInputs } from '../../../src/shared/preprocess/model-inputs.ts';
import { preprocessClip } from '../../../src/shared/preprocess/preprocess-clip.ts';

// Values are dyadic fractions so that float32 storage and 1 - x are exact: expectations are literals.
type Xyz = readonly [number, number, number];

function blankClip(frameCount: number): Clip {
  return { frameCount, firstFrame: 0, data: new Float32Array(frameCount * 543 * 3).fill(NaN) };
}

function put(clip: Clip, frame: number, type: LandmarkType, index: number, xyz: Xyz): void {
  clip.data.set(xyz, (frame * 543 + LANDMARK_OFFSETS[type] + index) * 3);
}

function outputAt(inputs: ModelInputs, t: number, point: number): number[] {
  const at = (t * 66 + point) * 3;
  return Array.from(inputs.frames.subarray(at, at + 3));
}

/** An all-zero [64, 66, 3] expectation with the listed (t, model point) values set. */
function expectedFrames(values: readonly (readonly [number, number, Xyz])[]): Float32Array {
  const frames = new Float32Array(64 * 66 * 3);
  for (const [t, point, xyz] of values) frames.set(xyz, (t * 66 + point) * 3);
  return frames;
}

function padIdxs(...kept: number[]): Float32Array {
  const idxs = new Float32Array(64).fill(-1);
  idxs.set(kept);
  return idxs;
}

describe('preprocessClip, fewer than 64 kept frames', () => {
  it('left-dominant on a tie: keeps the left hand frames, takes lips, left hand, left arm; pads', () => {
    const clip = blankClip(4);
    put(clip, 0, 'left_hand', 0, [0.125, 0.25, 0.375]);
    put(clip, 0, 'face', 61, [0.5, 0.625, 0.75]); // lips[0] -> model point 0
    put(clip, 0, 'pose', 13, [0.875, 0.25, -0.5]); // left elbow -> model point 61
    put(clip, 1, 'face', 61, [0.25, 0.25, 0.25]); // frame without hands: dropped
    put(clip, 2, 'left_hand', 20, [0.0625, 0.125, 0.1875]); // -> model point 60
    put(clip, 2, 'right_hand', 0, [0.5, 0.5, 0.5]);
    put(clip, 2, 'pose', 21, [0.5, 0.375, 0.25]); // left thumb -> model point 65
    put(clip, 2, 'pose', 14, [0.75, 0.75, 0.75]); // right elbow: not this clip's arm
    put(clip, 3, 'right_hand', 5, [0.5, 0.5, 0.5]);

    const inputs = preprocessClip(clip);
    expect(inputs.nonEmptyFrameIdxs).toEqual(padIdxs(0, 2));
    expect(inputs.frames).toEqual(
      expectedFrames([
        [0, 0, [0.5, 0.625, 0.75]],
        [0, 40, [0.125, 0.25, 0.375]],
        [0, 61, [0.875, 0.25, -0.5]],
        [1, 60, [0.0625, 0.125, 0.1875]],
        [1, 65, [0.5, 0.375, 0.25]],
      ]),
    );
  });

  it('right-dominant: right hand and arm, every x mirrored to 1 - x (lips too), missing stays 0', () => {
    const clip = blankClip(3);
    put(clip, 0, 'right_hand', 0, [0.25, 0.375, 0.5]);
    put(clip, 0, 'face', 0, [0.25, 0.5, 0.125]); // lips[5] = face 0 -> model point 5
    put(clip, 0, 'pose', 14, [0.375, 0.625, 0.25]); // right elbow -> model point 61
    put(clip, 0, 'pose', 13, [0.5, 0.5, 0.5]); // left elbow: ignored
    put(clip, 1, 'right_hand', 3, [0.625, 0.125, -0.25]); // -> model point 43
    put(clip, 1, 'pose', 22, [1.25, 0.5, 0]); // right thumb -> model point 65
    put(clip, 2, 'left_hand', 1, [0.5, 0.5, 0.5]); // right hand absent (left present once): frame dropped

    const inputs = preprocessClip(clip);
    expect(inputs.nonEmptyFrameIdxs).toEqual(padIdxs(0, 1));
    expect(inputs.frames).toEqual(
      expectedFrames([
        [0, 40, [0.75, 0.375, 0.5]],
        [0, 5, [0.75, 0.5, 0.125]],
        [0, 61, [0.625, 0.625, 0.25]],
        [1, 43, [0.375, 0.125, -0.25]],
        [1, 65, [-0.25, 0.5, 0]],
      ]),
    );
  });

  it('no hand at all: every frame is kept, left layout', () => {
    const clip = blankClip(3);
    for (let f = 0; f < 3; f++) put(clip, f, 'face', 308, [f / 4, 0.5, 0]); // lips[39] -> model point 39
    put(clip, 1, 'pose', 15, [0.5, 0.25, 0.125]); // left wrist -> model point 62
    put(clip, 1, 'pose', 16, [0.75, 0.75, 0.75]); // right wrist: ignored

    const inputs = preprocessClip(clip);
    expect(inputs.nonEmptyFrameIdxs).toEqual(padIdxs(0, 1, 2));
    expect(inputs.frames).toEqual(
      expectedFrames([
        [0, 39, [0, 0.5, 0]],
        [1, 39, [0.25, 0.5, 0]],
        [2, 39, [0.5, 0.5, 0]],
        [1, 62, [0.5, 0.25, 0.125]],
      ]),
    );
  });
});

describe('preprocessClip, 64 or more kept frames', () => {
  it('exactly 64 kept frames pass through unchanged, indices counted from the first kept frame', () => {
    const clip = blankClip(70);
    for (let f = 3; f <= 66; f++) put(clip, f, 'left_hand', 0, [f / 128, 0.5, 0.25]);
    for (let f = 0; f < 70; f++) put(clip, f, 'face', 61, [0.25, 0.25, 0.25]);

    const inputs = preprocessClip(clip);
    expect(inputs.nonEmptyFrameIdxs).toEqual(Float32Array.from({ length: 64 }, (_, t) => t));
    const values: [number, number, Xyz][] = [];
    for (let t = 0; t < 64; t++) values.push([t, 40, [(t + 3) / 128, 0.5, 0.25]], [t, 0, [0.25, 0.25, 0.25]]);
    expect(inputs.frames).toEqual(expectedFrames(values));
  });

  it('100 kept frames: uneven windows, NaN-ignoring means, an all-missing window becomes 0', () => {
    // floor(t*100/64): t=0 [0], t=1 [1,2], t=2 [3], t=3 [4,5], t=62 [96,97], t=63 [98,99]
    expect([0, 1, 2, 3, 62, 63].map((t) => frameWindow(t, 100))).toEqual([
      [0, 1],
      [1, 3],
      [3, 4],
      [4, 6],
      [96, 98],
      [98, 100],
    ]);
    const clip = blankClip(100);
    for (let f = 0; f < 100; f++) put(clip, f, 'left_hand', 0, [f / 128, 0.5, 0]);
    put(clip, 2, 'face', 61, [0.5, 0.5, 0.5]); // window t=1 holds frames 1 and 2: mean over frame 2 only
    put(clip, 0, 'face', 61, [0.25, 0.25, 0.25]);
    put(clip, 98, 'pose', 13, [0.25, 0.25, 0.25]); // window t=63: frames 98 and 99
    put(clip, 99, 'pose', 13, [0.75, 0.5, 0]);

    const inputs = preprocessClip(clip);
    const idx = inputs.nonEmptyFrameIdxs;
    expect([idx[0], idx[1], idx[2], idx[3], idx[62], idx[63]]).toEqual([0, 1.5, 3, 4.5, 96.5, 98.5]);
    expect(outputAt(inputs, 0, 40)).toEqual([0, 0.5, 0]);
    expect(outputAt(inputs, 1, 40)).toEqual([1.5 / 128, 0.5, 0]);
    expect(outputAt(inputs, 63, 40)).toEqual([98.5 / 128, 0.5, 0]);
    expect(outputAt(inputs, 0, 0)).toEqual([0.25, 0.25, 0.25]);
    expect(outputAt(inputs, 1, 0)).toEqual([0.5, 0.5, 0.5]);
    expect(outputAt(inputs, 3, 0)).toEqual([0, 0, 0]);
    expect(outputAt(inputs, 63, 61)).toEqual([0.5, 0.375, 0.125]);
    expect(outputAt(inputs, 62, 61)).toEqual([0, 0, 0]);
  });

  it('65 kept frames out of 140 (every other frame from 10): indices are true positions', () => {
    const clip = blankClip(140);
    for (let f = 10; f < 140; f += 2) put(clip, f, 'left_hand', 7, [0.5, 0.5, 0.5]);
    const inputs = preprocessClip(clip);
    // Kept frame k sits at 10 + 2k; windows are single frames except t=63, which holds k=63 and k=64.
    const expected = Float32Array.from({ length: 64 }, (_, t) => 2 * t);
    expected[63] = 127;
    expect(inputs.nonEmptyFrameIdxs).toEqual(expected);
    expect(outputAt(inputs, 63, 47)).toEqual([0.5, 0.5, 0.5]);
  });

  it('a right-dominant long clip is mirrored before averaging', () => {
    const clip = blankClip(128);
    for (let f = 0; f < 128; f++) put(clip, f, 'right_hand', 0, [f % 2 === 0 ? 0.25 : 0.5, 0.5, 0]);
    put(clip, 0, 'left_hand', 0, [0.5, 0.5, 0.5]);
    const inputs = preprocessClip(clip);
    // Each window is frames 2t and 2t+1: mean of 0.75 and 0.5.
    for (const t of [0, 31, 63]) expect(outputAt(inputs, t, 40)).toEqual([0.625, 0.5, 0]);
    expect(inputs.nonEmptyFrameIdxs[10]).toBe(20.5);
  });
});

describe('preprocessClip input checks', () => {
  it('refuses a clip whose data does not match its frame count', () => {
    expect(() => preprocessClip({ frameCount: 2, firstFrame: 0, data: new Float32Array(543 * 3) })).toThrow(
      RangeError,
    );
  });
});
