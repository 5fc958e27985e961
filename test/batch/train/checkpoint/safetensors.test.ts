import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CheckpointError } from '../../../../src/batch/train/checkpoint/checkpoint-error.ts';
import { decodeSafetensors } from '../../../../src/batch/train/checkpoint/decode-safetensors.ts';
import { encodeSafetensors } from '../../../../src/batch/train/checkpoint/encode-safetensors.ts';
import type { NamedTensor } from '../../../../src/batch/train/checkpoint/named-tensor.ts';
import { DTYPE_INFO } from '../../../../src/batch/train/checkpoint/safetensors-dtype.ts';

/** Written by the official safetensors library; see fixtures/README.md. */
const reference = new Uint8Array(readFileSync(new URL('fixtures/reference.safetensors', import.meta.url)));
const referenceTensors: NamedTensor[] = [
  { name: 'weights', shape: [2, 3], data: Float32Array.from([0.5, -1.25, 3.0, 1e-7, -0.0, 65504.0]) },
  { name: 'scalar', shape: [], data: Float64Array.from([3.141592653589793]) },
  { name: 'steps', shape: [3], data: BigInt64Array.from([-1n, 0n, 2n ** 40n + 7n]) },
  { name: 'empty', shape: [0, 3], data: new Int32Array(0) },
  { name: 'counts', shape: [3], data: Int32Array.from([7, -8, 2 ** 31 - 1]) },
  { name: 'labels', shape: [5], data: Int16Array.from([-1, 249, 32767, -32768, 0]) },
  { name: 'a.10', shape: [1], data: Float32Array.from([1]) },
  { name: 'a.9', shape: [1], data: Float32Array.from([2]) },
];

function errorCode(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(CheckpointError);
    return (err as CheckpointError).code;
  }
  throw new Error('expected a CheckpointError');
}

/** A file with the given header text (padded to 8) and data bytes. */
function rawFile(header: string, data: Uint8Array = new Uint8Array(0), lengthOverride?: bigint): Uint8Array {
  const json = new TextEncoder().encode(header.padEnd(Math.ceil(header.length / 8) * 8, ' '));
  const out = new Uint8Array(8 + json.length + data.length);
  new DataView(out.buffer).setBigUint64(0, lengthOverride ?? BigInt(json.length), true);
  out.set(json, 8);
  out.set(data, 8 + json.length);
  return out;
}

describe('safetensors encoding', () => {
  it('writes the bytes the format specifies: u64 LE header length, JSON header padded with spaces, raw LE data', () => {
    const bytes = encodeSafetensors([{ name: 'a', shape: [2], data: Float32Array.from([1, -2]) }], {
      step: '7',
    });
    const header = '{"__metadata__":{"step":"7"},"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}';
    expect(header.length).toBe(82);
    // 82 header bytes padded to 88.
    expect([...bytes.subarray(0, 8)]).toEqual([88, 0, 0, 0, 0, 0, 0, 0]);
    expect(new TextDecoder().decode(bytes.subarray(8, 96))).toBe(`${header}      `);
    // 1.0f = 0x3f800000, -2.0f = 0xc0000000, little-endian.
    expect([...bytes.subarray(96)]).toEqual([0, 0, 0x80, 0x3f, 0, 0, 0, 0xc0]);
  });

  it('is byte-identical to the official library on the same tensors', () => {
    expect(encodeSafetensors(referenceTensors, { format: 'signcast-test' })).toEqual(reference);
  });

  it('aligns every tensor to its element size (wider dtypes first), with the data 8-byte aligned', () => {
    const bytes = encodeSafetensors(referenceTensors);
    const headerLength = Number(new DataView(bytes.buffer).getBigUint64(0, true));
    expect(headerLength % 8).toBe(0);
    for (const t of decodeSafetensors(bytes).tensors) {
      const offsets = (
        JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + headerLength))) as Record<
          string,
          { data_offsets: number[] }
        >
      )[t.name]!.data_offsets;
      expect(offsets[0]! % DTYPE_INFO[t.dtype].bytes).toBe(0);
    }
  });

  it('refuses duplicate names, the reserved metadata name and data that does not fit its shape', () => {
    const t = { name: 'x', shape: [2], data: new Float32Array(2) };
    expect(errorCode(() => encodeSafetensors([t, t]))).toBe('invalid_tensor');
    expect(errorCode(() => encodeSafetensors([{ ...t, name: '__metadata__' }]))).toBe('invalid_tensor');
    expect(errorCode(() => encodeSafetensors([{ ...t, shape: [3] }]))).toBe('invalid_tensor');
    expect(errorCode(() => encodeSafetensors([{ ...t, shape: [-2, -1] }]))).toBe('invalid_tensor');
  });
});

describe('safetensors decoding', () => {
  it('reads the official library output', () => {
    const decoded = decodeSafetensors(reference);
    expect(decoded.metadata).toEqual({ format: 'signcast-test' });
    expect(decoded.tensors.map((t) => t.name)).toEqual([
      'steps',
      'scalar',
      'a.10',
      'a.9',
      'weights',
      'counts',
      'empty',
      'labels',
    ]);
    const byName = new Map(decoded.tensors.map((t) => [t.name, t]));
    for (const t of referenceTensors) {
      const got = byName.get(t.name)!;
      expect(got.shape).toEqual(t.shape);
      expect(got.data).toEqual(t.data);
    }
    expect(byName.get('steps')!.dtype).toBe('I64');
  });

  it('round-trips every dtype, scalars, empty tensors and non-ASCII names through views at odd offsets', () => {
    const tensors: NamedTensor[] = [
      {
        name: 'größe',
        shape: [2, 2],
        data: Float64Array.from([1.5, -0, Number.MAX_VALUE, Number.MIN_VALUE]),
      },
      { name: 'z', shape: [], data: Int16Array.from([-7]) },
      { name: 'nan', shape: [3], data: Float32Array.from([Number.NaN, Number.POSITIVE_INFINITY, -1e-45]) },
      { name: '', shape: [0], data: new BigInt64Array(0) },
      { name: 'i', shape: [1, 1, 1], data: Int32Array.from([-(2 ** 31)]) },
    ];
    const bytes = encodeSafetensors(tensors, { ü: 'a"b\n' });
    // Decode from a view whose byteOffset is not aligned, as a Buffer from a pool can be.
    const shifted = new Uint8Array(bytes.length + 3);
    shifted.set(bytes, 3);
    const decoded = decodeSafetensors(shifted.subarray(3));
    expect(decoded.metadata).toEqual({ ü: 'a"b\n' });
    const byName = new Map(decoded.tensors.map((t) => [t.name, t]));
    for (const t of tensors) {
      expect(byName.get(t.name)!.data).toEqual(t.data);
      expect(byName.get(t.name)!.shape).toEqual(t.shape);
    }
  });

  it('reports a truncated file as truncated', () => {
    expect(errorCode(() => decodeSafetensors(reference.subarray(0, 5)))).toBe('truncated');
    expect(errorCode(() => decodeSafetensors(reference.subarray(0, 100)))).toBe('truncated');
    expect(errorCode(() => decodeSafetensors(reference.subarray(0, reference.length - 1)))).toBe('truncated');
  });

  it('reports headers the format does not allow as bad_header', () => {
    const f32 = new Uint8Array(8);
    const cases: Record<string, Uint8Array> = {
      notJson: rawFile('{"a": nope}'),
      notObject: rawFile('[1, 2]'),
      leadingSpace: rawFile(' {}'),
      notUtf8: (() => {
        const f = rawFile('{"a":1}');
        f[10] = 0xff;
        return f;
      })(),
      sizeMismatch: rawFile('{"a":{"dtype":"F32","shape":[3],"data_offsets":[0,8]}}', f32),
      gap: rawFile('{"a":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}', f32),
      overlap: rawFile(
        '{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}',
        f32,
      ),
      trailingData: rawFile('{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}', f32),
      badMetadata: rawFile('{"__metadata__":{"step":7}}'),
      badShape: rawFile('{"a":{"dtype":"F32","shape":[-1],"data_offsets":[0,0]}}'),
      hugeLength: rawFile('{}', new Uint8Array(0), 2n ** 40n),
    };
    for (const [name, bytes] of Object.entries(cases))
      expect([name, errorCode(() => decodeSafetensors(bytes))]).toEqual([name, 'bad_header']);
  });

  it('names a dtype it does not handle', () => {
    const bf16 = rawFile('{"a":{"dtype":"BF16","shape":[2],"data_offsets":[0,4]}}', new Uint8Array(4));
    expect(errorCode(() => decodeSafetensors(bf16))).toBe('unsupported_dtype');
  });
});
