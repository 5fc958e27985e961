import { DecodeFailure } from './decode-failure.ts';

/**
 * Parquet's RLE / bit-packed hybrid encoding (definition levels and dictionary indices), decoded into
 * `out` and bounded by it: a run longer than what is left is cut at the end of `out`, and bytes past
 * `end` are an error. hyparquet's decoder writes whole runs whatever their length, and a damaged run
 * length there means billions of (very slow) out-of-bounds typed-array stores.
 */
export function decodeRleHybrid(
  bytes: Uint8Array,
  start: number,
  end: number,
  bitWidth: number,
  out: Uint8Array | Int32Array,
): void {
  if (!(bitWidth >= 0 && bitWidth <= 32)) throw new DecodeFailure(`rle: bit width ${bitWidth}`);
  if (end > bytes.length) throw new DecodeFailure('rle: runs end past the page');
  const total = out.length;
  const valueBytes = (bitWidth + 7) >> 3;
  let pos = start;
  let seen = 0;
  while (seen < total) {
    let header = 0;
    for (let shift = 0; ; shift += 7) {
      if (pos >= end || shift > 35) throw new DecodeFailure(`rle: runs end after ${seen} of ${total} values`);
      const byte = bytes[pos++]!;
      header += (byte & 0x7f) * 2 ** shift;
      if (byte < 0x80) break;
    }
    const runs = Math.floor(header / 2);
    if (header % 2 === 0) {
      if (pos + valueBytes > end) throw new DecodeFailure('rle: run value past the page');
      let value = 0;
      for (let i = 0; i < valueBytes; i++) value += bytes[pos + i]! * 2 ** (8 * i);
      pos += valueBytes;
      const take = Math.min(runs, total - seen);
      out.fill(value, seen, seen + take);
      seen += take;
    } else {
      // `runs` groups of 8 values; only the bytes of the values we keep need to be present.
      const take = Math.min(runs * 8, total - seen);
      if (pos + Math.ceil((take * bitWidth) / 8) > end)
        throw new DecodeFailure('rle: bit-packed run past the page');
      unpackBits(bytes, pos, bitWidth, out, seen, take);
      pos += runs * bitWidth;
      seen += take;
    }
  }
}

function unpackBits(
  bytes: Uint8Array,
  pos: number,
  bitWidth: number,
  out: Uint8Array | Int32Array,
  at: number,
  count: number,
): void {
  if (bitWidth === 0) {
    out.fill(0, at, at + count);
    return;
  }
  if (bitWidth <= 24) {
    // A 32-bit buffer holds the (< 8) leftover bits plus one more byte at a time.
    const mask = (1 << bitWidth) - 1;
    let buffer = 0;
    let bits = 0;
    for (let i = 0; i < count; i++) {
      while (bits < bitWidth) {
        buffer |= bytes[pos++]! << bits;
        bits += 8;
      }
      out[at + i] = buffer & mask;
      buffer >>>= bitWidth;
      bits -= bitWidth;
    }
    return;
  }
  for (let i = 0; i < count; i++) {
    let value = 0;
    for (let b = 0; b < bitWidth; b++) {
      const bit = i * bitWidth + b;
      if ((bytes[pos + (bit >> 3)]! >> (bit & 7)) & 1) value += 2 ** b;
    }
    out[at + i] = value;
  }
}
