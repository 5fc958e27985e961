import { describe, expect, it } from 'vitest';
import { counterBits, fillNoise, streamKey } from '../../../src/batch/random/counter-hash.ts';

describe('fillNoise', () => {
  it('fills odd lengths and unaligned buffers the same way', () => {
    const aligned = new Uint16Array(9);
    fillNoise(aligned, 1, 2, 3);
    const unaligned = new Uint16Array(new ArrayBuffer(20), 2, 9);
    fillNoise(unaligned, 1, 2, 3);
    expect(Array.from(unaligned)).toEqual(Array.from(aligned));
    expect(aligned[8]).toBe(counterBits(streamKey(1, 2, 3), 4) & 0xffff);
  });
});
