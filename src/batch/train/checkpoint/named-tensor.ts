import type { SafetensorsDtype, TensorData } from './safetensors-dtype.ts';

/** A tensor as a checkpoint stores it: row-major data, its shape, and a name unique in the file. */
export interface NamedTensor {
  readonly name: string;
  readonly shape: readonly number[];
  readonly data: TensorData;
}

/** What a checkpoint's JSON lists for each tensor. */
export interface TensorEntry {
  readonly name: string;
  readonly dtype: SafetensorsDtype;
  readonly shape: readonly number[];
}
