import { DecodeFailure } from './decode-failure.ts';
import { describeTypeValue, typeCodeOfBytes, UNKNOWN_TYPE_CODE } from './type-codes.ts';

/*
 * Value decoders for the page encodings a landmark column may use, each reading `bytes[start, end)`
 * and checking every length it is given before using it: a page can never make them read past its
 * own bytes or allocate more than the values asked for. Numbers come out as float64; the `type`
 * column's strings come out as landmark type codes, never as strings, so a value claiming to be
 * 256 MB long costs nothing (hyparquet's DELTA_BYTE_ARRAY decoder allocates each value's claimed
 * length, reads past its page into the rest of the file, and took workerd to gigabytes on a 900-byte
 * file).
 */

export type NumberType = 'INT32' | 'INT64' | 'FLOAT' | 'DOUBLE';

export const VALUE_BYTES: Readonly<Record<NumberType, number>> = { INT32: 4, INT64: 8, FLOAT: 4, DOUBLE: 8 };

/** Bytes of a type value kept for error messages; no landmark type name is longer than 10. */
const KEPT_TYPE_BYTES = 41;

/** The `type` column's values as LANDMARK_TYPES codes (UNKNOWN_TYPE_CODE for any other string). */
export interface TypeValues {
  readonly codes: Uint8Array;
  /** The value at `index`, quoted and shortened, for an error message; only unknown values need it. */
  describe(index: number): string;
}

export interface Decoded<T> {
  readonly values: T;
  /** Where the encoded values ended. */
  readonly end: number;
}

function need(start: number, bytes: number, end: number, what: string): void {
  if (!(bytes <= end - start))
    throw new DecodeFailure(`${what} needs ${bytes} bytes, the page holds ${end - start}`);
}

/** Copies `length` bytes to a fresh, aligned buffer, so any typed array can view them. */
function aligned(bytes: Uint8Array, start: number, length: number): ArrayBuffer {
  return bytes.slice(start, start + length).buffer;
}

function numbersOf(buffer: ArrayBuffer, type: NumberType): Float64Array {
  switch (type) {
    case 'DOUBLE':
      return new Float64Array(buffer);
    case 'FLOAT':
      return Float64Array.from(new Float32Array(buffer));
    case 'INT32':
      return Float64Array.from(new Int32Array(buffer));
    case 'INT64': {
      const ints = new BigInt64Array(buffer);
      const out = new Float64Array(ints.length);
      for (let i = 0; i < ints.length; i++) out[i] = Number(ints[i]!);
      return out;
    }
  }
}

export function plainNumbers(
  bytes: Uint8Array,
  start: number,
  end: number,
  type: NumberType,
  count: number,
): Float64Array {
  const length = count * VALUE_BYTES[type];
  need(start, length, end, `${count} plain ${type} values`);
  return numbersOf(aligned(bytes, start, length), type);
}

export function byteStreamSplitNumbers(
  bytes: Uint8Array,
  start: number,
  end: number,
  type: NumberType,
  count: number,
): Float64Array {
  const width = VALUE_BYTES[type];
  need(start, count * width, end, `${count} byte-stream-split ${type} values`);
  const joined = new Uint8Array(count * width);
  for (let k = 0; k < width; k++) {
    const stream = start + k * count;
    for (let i = 0; i < count; i++) joined[i * width + k] = bytes[stream + i]!;
  }
  return numbersOf(joined.buffer, type);
}

/** Reads varints and zigzag varints at a moving position, never past `end`. */
class VarintCursor {
  constructor(
    private readonly bytes: Uint8Array,
    public pos: number,
    private readonly end: number,
  ) {}

  varint(what: string): number {
    let value = 0;
    for (let i = 0; i < 10; i++) {
      if (this.pos >= this.end) throw new DecodeFailure(`${what} runs past the page`);
      const byte = this.bytes[this.pos++]!;
      value += (byte & 0x7f) * 2 ** (7 * i);
      if (byte < 0x80) return value;
    }
    throw new DecodeFailure(`${what} is not a varint`);
  }

  bigVarint(what: string): bigint {
    let value = 0n;
    for (let i = 0n; i < 10n; i++) {
      if (this.pos >= this.end) throw new DecodeFailure(`${what} runs past the page`);
      const byte = this.bytes[this.pos++]!;
      value |= BigInt(byte & 0x7f) << (7n * i);
      if (byte < 0x80) return value;
    }
    throw new DecodeFailure(`${what} is not a varint`);
  }

  zigzag(what: string): number {
    const value = this.varint(what);
    return value % 2 === 0 ? value / 2 : -(value + 1) / 2;
  }

  bigZigzag(what: string): bigint {
    const value = this.bigVarint(what);
    return (value >> 1n) ^ -(value & 1n);
  }
}

/** `width` (<= 32) bits at bit `bit` of the bytes from `base`, least significant first. */
function bitsAt(bytes: Uint8Array, base: number, bit: number, width: number): number {
  let at = base + (bit >> 3);
  const shift = bit & 7;
  const byteCount = (shift + width + 7) >> 3;
  let acc = 0;
  for (let k = 0; k < byteCount; k++) acc += bytes[at++]! * 2 ** (8 * k);
  return Math.floor(acc / 2 ** shift) % 2 ** width;
}

function bigBitsAt(bytes: Uint8Array, base: number, bit: number, width: number): bigint {
  if (width <= 32) return BigInt(bitsAt(bytes, base, bit, width));
  const low = BigInt(bitsAt(bytes, base, bit, 32));
  return low | (BigInt(bitsAt(bytes, base, bit + 32, width - 32)) << 32n);
}

/**
 * DELTA_BINARY_PACKED: `count` integers (int32 or int64, two's complement wrapping as the format
 * says) and where the stream ends. The header's block layout is checked before any value is read,
 * and each miniblock's bytes before they are unpacked.
 */
export function deltaBinaryPacked(
  bytes: Uint8Array,
  start: number,
  end: number,
  count: number,
  int64: boolean,
): Decoded<Float64Array> {
  const out = new Float64Array(count);
  const cursor = new VarintCursor(bytes, start, end);
  const blockSize = cursor.varint('delta header');
  const miniblocks = cursor.varint('delta header');
  const total = cursor.varint('delta header');
  const perMiniblock = blockSize / miniblocks;
  if (!(
    blockSize > 0 &&
    blockSize % 128 === 0 &&
    miniblocks > 0 &&
    Number.isInteger(perMiniblock) &&
    perMiniblock % 32 === 0
  )) {
    throw new DecodeFailure(`delta blocks of ${blockSize} values in ${miniblocks} miniblocks are not valid`);
  }
  if (total !== count)
    throw new DecodeFailure(`a delta stream claims ${total} values where ${count} are expected`);
  const maxWidth = int64 ? 64 : 32;
  if (int64) {
    let value = cursor.bigZigzag('delta header');
    if (count > 0) out[0] = Number(BigInt.asIntN(64, value));
    let done = count > 0 ? 1 : 0;
    while (done < count) {
      const minDelta = cursor.bigZigzag('delta block');
      need(cursor.pos, miniblocks, end, 'delta bit widths');
      const widths = cursor.pos;
      cursor.pos += miniblocks;
      for (let m = 0; m < miniblocks && done < count; m++) {
        const width = bytes[widths + m]!;
        if (width > maxWidth) throw new DecodeFailure(`a delta miniblock of ${width}-bit values`);
        const take = Math.min(perMiniblock, count - done);
        need(cursor.pos, Math.ceil((take * width) / 8), end, 'a delta miniblock');
        for (let j = 0; j < take; j++) {
          value = BigInt.asIntN(64, value + minDelta + bigBitsAt(bytes, cursor.pos, j * width, width));
          out[done++] = Number(value);
        }
        cursor.pos += (perMiniblock * width) / 8;
      }
    }
    return { values: out, end: Math.min(cursor.pos, end) };
  }
  let value = cursor.zigzag('delta header') | 0;
  if (count > 0) out[0] = value;
  let done = count > 0 ? 1 : 0;
  while (done < count) {
    const minDelta = cursor.zigzag('delta block');
    need(cursor.pos, miniblocks, end, 'delta bit widths');
    const widths = cursor.pos;
    cursor.pos += miniblocks;
    for (let m = 0; m < miniblocks && done < count; m++) {
      const width = bytes[widths + m]!;
      if (width > maxWidth) throw new DecodeFailure(`a delta miniblock of ${width}-bit int32 values`);
      const take = Math.min(perMiniblock, count - done);
      need(cursor.pos, Math.ceil((take * width) / 8), end, 'a delta miniblock');
      for (let j = 0; j < take; j++) {
        // int32 deltas may need 33 bits; the sum is exact in float64 and wraps like the writer's.
        value = (value + minDelta + (width === 0 ? 0 : bitsAt(bytes, cursor.pos, j * width, width))) | 0;
        out[done++] = value;
      }
      cursor.pos += (perMiniblock * width) / 8;
    }
  }
  // The last miniblock is padded to full size; a writer may stop short of that padding.
  return { values: out, end: Math.min(cursor.pos, end) };
}

/** Lengths of byte-array values, from a delta stream, each checked to be >= 0. */
function deltaLengths(
  bytes: Uint8Array,
  start: number,
  end: number,
  count: number,
  what: string,
): Decoded<Float64Array> {
  const lengths = deltaBinaryPacked(bytes, start, end, count, false);
  for (let i = 0; i < count; i++) {
    if (lengths.values[i]! < 0) throw new DecodeFailure(`${what} of ${lengths.values[i]} bytes`);
  }
  return lengths;
}

function firstUnknownDescriber(): {
  note(index: number, bytes: Uint8Array, start: number, length: number): void;
  describe(index: number): string;
} {
  let noted = -1;
  let text = '';
  return {
    note(index, bytes, start, length) {
      if (noted >= 0) return;
      noted = index;
      text = describeTypeValue(bytes, start, start + length);
    },
    describe: (index) => (index === noted ? text : '(an unknown type)'),
  };
}

/**
 * Walks `count` PLAIN byte arrays (4-byte little-endian length, then the bytes), every length checked
 * against the bytes present, calling `visit(i, from, to)` for each value's span. Callers check first
 * that `count` lengths fit (`need(start, count * 4, ...)`), before they allocate anything per value.
 */
function forEachPlainString(
  bytes: Uint8Array,
  start: number,
  end: number,
  count: number,
  visit: (i: number, from: number, to: number) => void,
): void {
  let pos = start;
  for (let i = 0; i < count; i++) {
    need(pos, 4, end, 'a string length');
    const length =
      (bytes[pos]! | (bytes[pos + 1]! << 8) | (bytes[pos + 2]! << 16) | (bytes[pos + 3]! << 24)) >>> 0;
    pos += 4;
    need(pos, length, end, `a ${length}-byte string`);
    visit(i, pos, pos + length);
    pos += length;
  }
}

/** PLAIN byte arrays as type codes. */
export function plainTypeCodes(bytes: Uint8Array, start: number, end: number, count: number): TypeValues {
  need(start, count * 4, end, `${count} plain strings`);
  const codes = new Uint8Array(count);
  const unknown = firstUnknownDescriber();
  forEachPlainString(bytes, start, end, count, (i, from, to) => {
    codes[i] = typeCodeOfBytes(bytes, from, to);
    if (codes[i] === UNKNOWN_TYPE_CODE) unknown.note(i, bytes, from, to - from);
  });
  return { codes, describe: unknown.describe };
}

/** A PLAIN byte-array dictionary: codes for its entries, and any entry described on demand. */
export function plainTypeDictionary(
  bytes: Uint8Array,
  start: number,
  end: number,
  count: number,
): TypeValues {
  need(start, count * 4, end, `a dictionary of ${count} strings`);
  const codes = new Uint8Array(count);
  const starts = new Int32Array(count);
  const ends = new Int32Array(count);
  forEachPlainString(bytes, start, end, count, (i, from, to) => {
    codes[i] = typeCodeOfBytes(bytes, from, to);
    starts[i] = from;
    ends[i] = to;
  });
  return { codes, describe: (i) => describeTypeValue(bytes, starts[i]!, ends[i]!) };
}

/** DELTA_LENGTH_BYTE_ARRAY: delta-packed lengths, then the values back to back. */
export function deltaLengthTypeCodes(
  bytes: Uint8Array,
  start: number,
  end: number,
  count: number,
): TypeValues {
  const { values: lengths, end: dataStart } = deltaLengths(bytes, start, end, count, 'a string');
  let total = 0;
  for (let i = 0; i < count; i++) total += lengths[i]!;
  need(dataStart, total, end, `${count} strings`);
  const codes = new Uint8Array(count);
  const unknown = firstUnknownDescriber();
  let pos = dataStart;
  for (let i = 0; i < count; i++) {
    const length = lengths[i]!;
    codes[i] = typeCodeOfBytes(bytes, pos, pos + length);
    if (codes[i] === UNKNOWN_TYPE_CODE) unknown.note(i, bytes, pos, length);
    pos += length;
  }
  return { codes, describe: unknown.describe };
}

/**
 * DELTA_BYTE_ARRAY: each value is a prefix of the previous one plus a suffix. A prefix longer than
 * the previous value is corruption (pyarrow: "prefix length too large"). Only the first bytes of each
 * value are kept, enough to recognise a type name or describe another string.
 */
export function deltaByteArrayTypeCodes(
  bytes: Uint8Array,
  start: number,
  end: number,
  count: number,
): TypeValues {
  const { values: prefixes, end: suffixesStart } = deltaLengths(bytes, start, end, count, 'a string prefix');
  const { values: suffixes, end: dataStart } = deltaLengths(
    bytes,
    suffixesStart,
    end,
    count,
    'a string suffix',
  );
  let total = 0;
  for (let i = 0; i < count; i++) total += suffixes[i]!;
  need(dataStart, total, end, `${count} string suffixes`);
  const codes = new Uint8Array(count);
  const unknown = firstUnknownDescriber();
  const kept = new Uint8Array(KEPT_TYPE_BYTES);
  let length = 0;
  let pos = dataStart;
  for (let i = 0; i < count; i++) {
    const prefix = prefixes[i]!;
    const suffix = suffixes[i]!;
    if (prefix > length) {
      throw new DecodeFailure(`string ${i} takes a ${prefix}-byte prefix of a ${length}-byte string`);
    }
    const copy = Math.min(suffix, KEPT_TYPE_BYTES - Math.min(prefix, KEPT_TYPE_BYTES));
    if (copy > 0) kept.set(bytes.subarray(pos, pos + copy), prefix);
    length = prefix + suffix;
    pos += suffix;
    codes[i] = length <= KEPT_TYPE_BYTES ? typeCodeOfBytes(kept, 0, length) : UNKNOWN_TYPE_CODE;
    if (codes[i] === UNKNOWN_TYPE_CODE) unknown.note(i, kept, 0, length);
  }
  return { codes, describe: unknown.describe };
}
