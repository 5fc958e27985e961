/**
 * Keras's initialisers, drawn from a seeded stream per parameter: the stream is keyed by the
 * parameter's full name, so a parameter's initial value does not depend on how many parameters were
 * built before it (adding a block leaves the others' initial values unchanged).
 */
import type { TensorData } from '../onnx/tensor-data.ts';
import { tensorData } from '../onnx/tensor-data.ts';
import { Random } from '../random/random.ts';
import type { ModelDType } from './model-context.ts';

export type Initializer =
  /** U(-l, l), l = sqrt(6 / (fan_in + fan_out)): Keras Dense's default kernel initialiser. */
  | { readonly kind: 'glorot_uniform'; readonly fanIn: number; readonly fanOut: number }
  /** U(-l, l), l = sqrt(6 / fan_in). */
  | { readonly kind: 'he_uniform'; readonly fanIn: number }
  | { readonly kind: 'zeros' };

export function uniformLimit(init: Initializer): number {
  switch (init.kind) {
    case 'glorot_uniform':
      return Math.sqrt(6 / (init.fanIn + init.fanOut));
    case 'he_uniform':
      return Math.sqrt(6 / init.fanIn);
    case 'zeros':
      return 0;
  }
}

export function initialValue(
  init: Initializer,
  dims: readonly number[],
  dtype: ModelDType,
  seed: number,
  name: string,
): TensorData {
  const n = dims.reduce((a, b) => a * b, 1);
  const data = dtype === 'float64' ? new Float64Array(n) : new Float32Array(n);
  const limit = uniformLimit(init);
  if (limit > 0) {
    const random = Random.seeded(seed, 'init', name);
    for (let i = 0; i < n; i++) data[i] = (2 * random.nextFloat() - 1) * limit;
  }
  return tensorData(dtype, data, dims);
}
