/** Concrete tensor values held by a graph (initializers, parameters, tensor attributes). */
import type { AnyTypedArray, DType, TypedArrayOf } from './dtype.ts';
import { allocate, dtypeOfArray, isBigIntType } from './dtype.ts';

export interface TensorData<D extends DType = DType> {
  readonly dtype: D;
  readonly dims: readonly number[];
  /** Row-major elements; shared, never mutated once handed to a graph. */
  readonly data: TypedArrayOf[D];
}

function product(dims: readonly number[]): number {
  return dims.reduce((a, b) => a * b, 1);
}

/**
 * A tensor value from a typed array (taken as is, not copied; float16 as a Uint16Array of raw bits) or
 * from plain numbers/bigints (converted to `dtype`). `dims` defaults to 1-D.
 */
export function tensorData<D extends DType>(
  dtype: D,
  values: TypedArrayOf[D] | ArrayLike<number | bigint>,
  dims?: readonly number[],
): TensorData<D> {
  const shape = dims ?? [values.length];
  if (!shape.every((d) => Number.isInteger(d) && d >= 0)) {
    throw new Error(`tensor dims must be non-negative integers, got [${shape.join(', ')}]`);
  }
  const n = product(shape);
  if (values.length !== n) {
    throw new Error(`${values.length} values do not fill dims [${shape.join(', ')}] (${n} elements)`);
  }
  const isTyped = ArrayBuffer.isView(values);
  if (isTyped && dtypeOfArray(values as AnyTypedArray) === dtype) {
    return { dtype, dims: [...shape], data: values as TypedArrayOf[D] };
  }
  if (isTyped && dtype === 'bool' && values instanceof Uint8Array) {
    return { dtype, dims: [...shape], data: values as TypedArrayOf[D] };
  }
  // A Uint16Array given for float16 holds its raw bits (how onnxruntime hands float16 back); numbers
  // are converted below.
  if (isTyped && dtype === 'float16' && values instanceof Uint16Array) {
    return { dtype, dims: [...shape], data: values as TypedArrayOf[D] };
  }
  const data = allocate(dtype, n);
  if (dtype === 'float16') {
    for (let i = 0; i < n; i++) (data as Uint16Array)[i] = float16Bits(Number(values[i]!));
    return { dtype, dims: [...shape], data };
  }
  const big = isBigIntType(dtype);
  for (let i = 0; i < n; i++) {
    const v = values[i]!;
    if (big) (data as BigInt64Array)[i] = typeof v === 'bigint' ? v : BigInt(v);
    else (data as Float64Array)[i] = dtype === 'bool' ? (v ? 1 : 0) : Number(v);
  }
  return { dtype, dims: [...shape], data };
}

const f32 = new Float32Array(1);
const f32Bits = new Uint32Array(f32.buffer);

/**
 * The IEEE binary16 bits nearest to `value` (rounded to float32 first, then to nearest even, as
 * onnxruntime's Cast does): subnormals kept, overflow to infinity. Node 22 has no Float16Array.
 */
export function float16Bits(value: number): number {
  f32[0] = value;
  const x = f32Bits[0]!;
  const sign = (x >>> 16) & 0x8000;
  const exponent = (x >>> 23) & 0xff;
  const mantissa = x & 0x7fffff;
  if (exponent === 0xff) return sign | 0x7c00 | (mantissa !== 0 ? 0x200 : 0);
  const e = exponent - 127 + 15;
  if (e >= 0x1f) return sign | 0x7c00;
  // Normal halves keep 10 of the 23 mantissa bits; subnormal ones (e <= 0) shift the implicit 1 in too.
  const full = e > 0 ? mantissa : mantissa | 0x800000;
  const shift = e > 0 ? 13 : 14 - e;
  if (shift > 24) return sign;
  const kept = full >>> shift;
  const rest = full & ((1 << shift) - 1);
  const half = 1 << (shift - 1);
  const rounded = kept + (rest > half || (rest === half && (kept & 1) === 1) ? 1 : 0);
  // A carry out of the mantissa moves into the exponent, which is what rounding up should do.
  return sign | ((e > 0 ? e << 10 : 0) + rounded);
}

/** The number that IEEE binary16 `bits` stand for. */
export function float16Value(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exponent = (bits >>> 10) & 0x1f;
  const mantissa = bits & 0x3ff;
  if (exponent === 0) return sign * mantissa * 2 ** -24;
  if (exponent === 0x1f) return mantissa !== 0 ? NaN : sign * Infinity;
  return sign * (1 + mantissa / 1024) * 2 ** (exponent - 15);
}

export function scalarData<D extends DType>(dtype: D, value: number | bigint): TensorData<D> {
  return tensorData(dtype, [value], []);
}

/** Elements as JS numbers (int64 converted; fine for shapes, axes and indices). */
export function dataToNumbers(t: TensorData): number[] {
  return Array.from(t.data as ArrayLike<number | bigint>, (v) => Number(v));
}

export function numelOf(t: TensorData): number {
  return product(t.dims);
}
