/** Element types of symbolic tensors, and how they map to ONNX codes and JS typed arrays. */
import { DataType } from './proto/types.ts';

export type DType =
  | 'float32'
  | 'float64'
  | 'float16'
  | 'int8'
  | 'uint8'
  | 'int16'
  | 'uint16'
  | 'int32'
  | 'uint32'
  | 'int64'
  | 'uint64'
  | 'bool';

export type FloatDType = 'float32' | 'float64' | 'float16';

/** The typed array that holds each dtype's data (bool as one byte per element, float16 as raw bits). */
export interface TypedArrayOf {
  float32: Float32Array;
  float64: Float64Array;
  float16: Uint16Array;
  int8: Int8Array;
  uint8: Uint8Array;
  int16: Int16Array;
  uint16: Uint16Array;
  int32: Int32Array;
  uint32: Uint32Array;
  int64: BigInt64Array;
  uint64: BigUint64Array;
  bool: Uint8Array;
}

export type AnyTypedArray = TypedArrayOf[DType];

interface DTypeInfo {
  readonly onnx: number;
  readonly bytes: number;
  readonly array: new (lengthOrBuffer: number | ArrayBuffer) => AnyTypedArray;
}

const INFO: Record<DType, DTypeInfo> = {
  float32: { onnx: DataType.FLOAT, bytes: 4, array: Float32Array },
  float64: { onnx: DataType.DOUBLE, bytes: 8, array: Float64Array },
  float16: { onnx: DataType.FLOAT16, bytes: 2, array: Uint16Array },
  int8: { onnx: DataType.INT8, bytes: 1, array: Int8Array },
  uint8: { onnx: DataType.UINT8, bytes: 1, array: Uint8Array },
  int16: { onnx: DataType.INT16, bytes: 2, array: Int16Array },
  uint16: { onnx: DataType.UINT16, bytes: 2, array: Uint16Array },
  int32: { onnx: DataType.INT32, bytes: 4, array: Int32Array },
  uint32: { onnx: DataType.UINT32, bytes: 4, array: Uint32Array },
  int64: { onnx: DataType.INT64, bytes: 8, array: BigInt64Array },
  uint64: { onnx: DataType.UINT64, bytes: 8, array: BigUint64Array },
  bool: { onnx: DataType.BOOL, bytes: 1, array: Uint8Array },
};

export const DTYPES = Object.keys(INFO) as DType[];

export function onnxDataType(dtype: DType): number {
  return INFO[dtype].onnx;
}

export function dtypeFromOnnx(code: number): DType {
  const found = DTYPES.find((d) => INFO[d].onnx === code);
  if (found === undefined) throw new Error(`ONNX data type ${code} is not supported by the graph builder`);
  return found;
}

export function bytesPerElement(dtype: DType): number {
  return INFO[dtype].bytes;
}

export function isFloat(dtype: DType): dtype is FloatDType {
  return dtype === 'float32' || dtype === 'float64' || dtype === 'float16';
}

/** Whether elements are JS bigints (64-bit integers) rather than numbers. */
export function isBigIntType(dtype: DType): dtype is 'int64' | 'uint64' {
  return dtype === 'int64' || dtype === 'uint64';
}

export function allocate<D extends DType>(dtype: D, length: number): TypedArrayOf[D] {
  return new INFO[dtype].array(length) as TypedArrayOf[D];
}

/** Copy little-endian bytes into a fresh typed array (copying also fixes any misalignment). */
export function fromBytes<D extends DType>(dtype: D, bytes: Uint8Array): TypedArrayOf[D] {
  const size = INFO[dtype].bytes;
  if (bytes.byteLength % size !== 0)
    throw new Error(`${bytes.byteLength} bytes is not a whole number of ${dtype}`);
  const copy = new Uint8Array(bytes.byteLength);
  copy.set(bytes);
  return new INFO[dtype].array(copy.buffer) as TypedArrayOf[D];
}

/** The dtype a typed array naturally holds (Uint8Array is read as uint8, not bool). */
export function dtypeOfArray(data: AnyTypedArray): DType {
  if (data instanceof Float32Array) return 'float32';
  if (data instanceof Float64Array) return 'float64';
  if (data instanceof Int8Array) return 'int8';
  if (data instanceof Uint8Array) return 'uint8';
  if (data instanceof Int16Array) return 'int16';
  if (data instanceof Uint16Array) return 'uint16';
  if (data instanceof Int32Array) return 'int32';
  if (data instanceof Uint32Array) return 'uint32';
  if (data instanceof BigInt64Array) return 'int64';
  return 'uint64';
}
