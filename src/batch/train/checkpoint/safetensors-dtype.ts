/**
 * The safetensors element types a checkpoint uses, and the typed arrays that hold them. Ranks follow the
 * order of the reference implementation's Dtype enum; its writer lays tensors out by descending rank,
 * which puts wider elements first so every tensor starts on a multiple of its element size.
 */

export type TensorData = Float32Array | Float64Array | BigInt64Array | Int32Array | Int16Array;

export type SafetensorsDtype = 'I64' | 'F64' | 'F32' | 'I32' | 'I16';

interface DtypeInfo {
  readonly bytes: number;
  readonly rank: number;
  readonly fromBuffer: (buffer: ArrayBuffer) => TensorData;
}

export const DTYPE_INFO: Readonly<Record<SafetensorsDtype, DtypeInfo>> = {
  I64: { bytes: 8, rank: 5, fromBuffer: (b) => new BigInt64Array(b) },
  F64: { bytes: 8, rank: 4, fromBuffer: (b) => new Float64Array(b) },
  F32: { bytes: 4, rank: 3, fromBuffer: (b) => new Float32Array(b) },
  I32: { bytes: 4, rank: 2, fromBuffer: (b) => new Int32Array(b) },
  I16: { bytes: 2, rank: 1, fromBuffer: (b) => new Int16Array(b) },
};

export function isSafetensorsDtype(value: unknown): value is SafetensorsDtype {
  return typeof value === 'string' && Object.hasOwn(DTYPE_INFO, value);
}

export function dtypeOf(data: TensorData): SafetensorsDtype {
  if (data instanceof Float32Array) return 'F32';
  if (data instanceof Float64Array) return 'F64';
  if (data instanceof BigInt64Array) return 'I64';
  if (data instanceof Int32Array) return 'I32';
  return 'I16';
}

/** Elements of a shape; [] is a scalar (1 element). */
export function elementCount(shape: readonly number[]): number {
  return shape.reduce((n, d) => n * d, 1);
}

/** safetensors data is little-endian, and typed arrays use the host's order: refuse the rare big-endian host. */
export const HOST_IS_LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
