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
 * A tensor value from a typed array (taken as is, not copied) or from plain numbers/bigints
 * (converted to `dtype`). `dims` defaults to 1-D.
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
  if (dtype === 'float16') throw new Error('float16 data must be given as a Uint16Array of raw bits');
  const data = allocate(dtype, n);
  const big = isBigIntType(dtype);
  for (let i = 0; i < n; i++) {
    const v = values[i]!;
    if (big) (data as BigInt64Array)[i] = typeof v === 'bigint' ? v : BigInt(v);
    else (data as Float64Array)[i] = dtype === 'bool' ? (v ? 1 : 0) : Number(v);
  }
  return { dtype, dims: [...shape], data };
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
