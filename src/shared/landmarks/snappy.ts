import { DecodeFailure } from './decode-failure.ts';

/**
 * No snappy element expands more than a 3-byte copy of 64 bytes does, so a block cannot hold more than
 * this many bytes per input byte; a header claiming more is a lie, refused before allocating.
 */
const MAX_EXPANSION = 64 / 3;

/**
 * Snappy block decompression (https://github.com/google/snappy/blob/main/format_description.txt)
 * with every length checked against both buffers. hyparquet's decoder trusts element lengths and
 * keeps going past the end of its output buffer, where V8's out-of-bounds typed-array stores are so
 * slow that one damaged page can take a minute; here it is an error at once. Long literals and
 * non-overlapping copies use `set`/`copyWithin`, which also makes the common case faster.
 */
export function snappyDecompress(input: Uint8Array, outputLength: number): Uint8Array {
  if (!(outputLength >= 0 && outputLength <= Math.ceil(input.length * MAX_EXPANSION))) {
    throw new DecodeFailure(`snappy: ${input.length} bytes cannot expand to ${outputLength}`);
  }
  const output = new Uint8Array(outputLength);
  const inputLength = input.length;
  let pos = 0;

  let declared = 0;
  for (let shift = 0; ; shift += 7) {
    if (pos >= inputLength || shift > 28) throw new DecodeFailure('snappy: bad length preamble');
    const byte = input[pos++]!;
    declared += (byte & 0x7f) * 2 ** shift;
    if (byte < 0x80) break;
  }
  if (declared !== outputLength)
    throw new DecodeFailure(`snappy: block holds ${declared} bytes, expected ${outputLength}`);

  let out = 0;
  while (pos < inputLength) {
    const tag = input[pos++]!;
    const kind = tag & 3;
    if (kind === 0) {
      let length = (tag >>> 2) + 1;
      if (length > 60) {
        const extra = length - 60;
        if (pos + extra > inputLength) throw new DecodeFailure('snappy: literal length past the input');
        // Integer (bitwise) arithmetic keeps positions small integers, which V8 indexes fastest.
        length = 0;
        for (let i = 0; i < extra; i++) length |= input[pos + i]! << (8 * i);
        if (length < 0) throw new DecodeFailure('snappy: literal length past the input');
        length += 1;
        pos += extra;
      }
      if (pos + length > inputLength || out + length > outputLength)
        throw new DecodeFailure('snappy: literal overruns');
      if (length < 16) {
        for (let i = 0; i < length; i++) output[out + i] = input[pos + i]!;
      } else {
        output.set(input.subarray(pos, pos + length), out);
      }
      pos += length;
      out += length;
      continue;
    }

    let length: number;
    let offset: number;
    if (kind === 1) {
      if (pos >= inputLength) throw new DecodeFailure('snappy: copy past the input');
      length = ((tag >>> 2) & 7) + 4;
      offset = ((tag >>> 5) << 8) | input[pos++]!;
    } else if (kind === 2) {
      if (pos + 2 > inputLength) throw new DecodeFailure('snappy: copy past the input');
      length = (tag >>> 2) + 1;
      offset = input[pos]! | (input[pos + 1]! << 8);
      pos += 2;
    } else {
      if (pos + 4 > inputLength) throw new DecodeFailure('snappy: copy past the input');
      length = (tag >>> 2) + 1;
      offset = input[pos]! | (input[pos + 1]! << 8) | (input[pos + 2]! << 16) | (input[pos + 3]! << 24);
      pos += 4;
    }
    if (offset <= 0 || offset > out) throw new DecodeFailure('snappy: copy from before the output');
    if (out + length > outputLength) throw new DecodeFailure('snappy: copy overruns');
    const from = out - offset;
    if (offset >= length && length >= 16) {
      output.copyWithin(out, from, from + length);
    } else {
      // Short copies are cheaper inline; overlapping ones (offset < length) must go byte by byte.
      for (let i = 0; i < length; i++) output[out + i] = output[from + i]!;
    }
    out += length;
  }
  if (out !== outputLength)
    throw new DecodeFailure(`snappy: block ended after ${out} of ${outputLength} bytes`);
  return output;
}
