import { describe, expect, it } from 'vitest';
import { COORDS, LANDMARK_OFFSETS, VALUES_PER_FRAME } from '../../../src/shared/landmarks/layout.ts';
import { SignWindow, type Ask } from '../../../src/page/sign/sign-window.ts';

const OPTIONS = { capacity: 10, askEveryMs: 100, handsDownFrames: 3, minHandFrames: 2 };

/** A frame with (or without) a right hand; `tag` marks it so a test can tell frames apart. */
function frame(hand: boolean, tag: number): Float32Array {
  const data = new Float32Array(VALUES_PER_FRAME).fill(NaN);
  data[0] = tag; // face point 0's x
  if (hand) data.fill(0.5, LANDMARK_OFFSETS.right_hand * COORDS, (LANDMARK_OFFSETS.right_hand + 21) * COORDS);
  return data;
}

const tagsOf = (ask: Ask): number[] =>
  Array.from({ length: ask.clip.frameCount }, (_, f) => ask.clip.data[f * VALUES_PER_FRAME]!);

/** Pushes frames at 10 ms apart from `t0`; returns each push's ask (or null). */
function feed(window: SignWindow, hands: readonly boolean[], t0 = 0, firstTag = 0): (Ask | null)[] {
  return hands.map((hand, i) => window.push(frame(hand, firstTag + i), t0 + i * 10));
}

describe('SignWindow', () => {
  it('never asks while no hand has been seen', () => {
    expect(feed(new SignWindow(OPTIONS), Array(30).fill(false)).every((a) => a === null)).toBe(true);
  });

  it('asks at a steady rate while a hand is up, with the last `capacity` frames', () => {
    const asks = feed(new SignWindow(OPTIONS), Array(25).fill(true));
    const at = asks.flatMap((a, i) => (a ? [i] : []));
    // First when two frames have a hand, then every 100 ms (10 frames).
    expect(at).toEqual([1, 11, 21]);
    expect(asks[1]!.reason).toBe('steady');
    expect(tagsOf(asks[1]!)).toEqual([0, 1]);
    expect(tagsOf(asks[21]!)).toEqual([12, 13, 14, 15, 16, 17, 18, 19, 20, 21]);
  });

  it('when the hands drop, sends the sign up to its last hand frame and starts afresh', () => {
    const window = new SignWindow({ ...OPTIONS, askEveryMs: 1e9 });
    const hands = [false, true, true, true, false, true, false, false, false];
    const asks = feed(window, hands);
    const dropped = asks.findIndex((a) => a?.reason === 'hands-dropped');
    expect(dropped).toBe(8); // the third frame in a row without a hand
    expect(tagsOf(asks[dropped]!)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(window.current().frameCount).toBe(0);
    expect(asks.filter((a) => a !== null).map((a) => a!.reason)).toEqual(['steady', 'hands-dropped']);
  });

  it('a hand glimpsed for fewer than minHandFrames is not a sign', () => {
    const window = new SignWindow({ ...OPTIONS, minHandFrames: 3 });
    expect(feed(window, [true, false, false, false, false]).every((a) => a === null)).toBe(true);
    expect(window.current().frameCount).toBe(1); // the frame after the reset
  });

  it('copies frames: reusing the buffer does not change what was kept', () => {
    const window = new SignWindow(OPTIONS);
    const buffer = frame(true, 7);
    window.push(buffer, 0);
    buffer.fill(0);
    expect(window.current().data[0]).toBe(7);
    expect(() => window.push(new Float32Array(5), 10)).toThrow(RangeError);
  });
});
