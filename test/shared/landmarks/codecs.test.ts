import { snappyCompress } from 'hyparquet-writer/src/snappy.js';
import { describe, expect, it } from 'vitest';
import { decodeRleHybrid } from '../../../src/shared/landmarks/rle-hybrid.ts';
import { snappyDecompress } from '../../../src/shared/landmarks/snappy.ts';

describe('decodeRleHybrid', () => {
  // The parquet spec's example: 0..7 bit-packed at width 3 is 10001000 11000110 11111010.
  const packed = [0b11, 0x88, 0xc6, 0xfa];
  const run = [5 << 1, 4]; // five 4s

  it('decodes bit-packed groups and runs', () => {
    const out = new Int32Array(13);
    const bytes = Uint8Array.from([...packed, ...run]);
    decodeRleHybrid(bytes, 0, bytes.length, 3, out);
    expect(Array.from(out)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 4, 4, 4, 4, 4]);
  });

  it('stops at the end of the output, fails at the end of the input', () => {
    const out = new Uint8Array(10);
    const bytes = Uint8Array.from([...packed, 0xfe, 0xff, 0xff, 0xff, 0x07, 1]); // a run of 2^30 - 1 ones
    decodeRleHybrid(bytes, 0, bytes.length, 3, out);
    expect(Array.from(out)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 1, 1]);
    expect(() => decodeRleHybrid(Uint8Array.from(packed), 0, 3, 3, new Uint8Array(8))).toThrow(
      /past the page/,
    );
    expect(() => decodeRleHybrid(Uint8Array.from(run), 0, 2, 3, new Uint8Array(6))).toThrow(
      /runs end after 5/,
    );
  });
});

describe('snappyDecompress', () => {
  const text = new TextEncoder().encode('face-face-face-left_hand-pose-pose-pose-right_hand '.repeat(200));
  const noise = Uint8Array.from({ length: 5000 }, (_, i) => (i * 2654435761) >>> 24);

  it('inverts a snappy compressor on repetitive and incompressible data', () => {
    for (const data of [text, noise, new Uint8Array(0), Uint8Array.of(7)]) {
      const packed = snappyCompress(data);
      expect(snappyDecompress(packed, data.length)).toEqual(data);
    }
  });

  it('refuses blocks of the wrong size or with damaged elements', () => {
    const packed = snappyCompress(text);
    expect(() => snappyDecompress(packed, text.length + 1)).toThrow(/expected/);
    expect(() => snappyDecompress(packed.subarray(0, packed.length - 3), text.length)).toThrow(/snappy/);
    // After the 2-byte length preamble: a copy element (tag kind 1) reaching back before the output.
    const damaged = packed.slice();
    damaged[2] = 0x01;
    damaged[3] = 0xff;
    expect(() => snappyDecompress(damaged, text.length)).toThrow(/before the output/);
    // A literal claiming more bytes than the block holds.
    const long = packed.slice();
    long[2] = 61 << 2; // literal with a 2-byte length
    long[3] = 0xff;
    long[4] = 0xff;
    expect(() => snappyDecompress(long, text.length)).toThrow(/literal overruns/);
  });
});
