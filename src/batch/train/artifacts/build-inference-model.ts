import type { SignCastConfig } from '../../model/config/config-schema.ts';
import { buildModel } from '../../model/signcast-model.ts';
import type { TensorData } from '../../onnx/tensor-data.ts';
import { tensorData } from '../../onnx/tensor-data.ts';
import { graphToBytes } from '../../onnx/to-model.ts';
import type { NormalizationStats } from '../../../shared/preprocess/stats.ts';
import { modelMetadata } from './model-metadata.ts';

/** Parameter values by name: a map, a record, or checkpoint-style tensors (data float32, with shape). */
export type ParameterValues =
  | ReadonlyMap<string, TensorData>
  | Readonly<Record<string, TensorData>>
  | readonly { readonly name: string; readonly shape: readonly number[]; readonly data: Float32Array }[];

export function parameterValueMap(values: ParameterValues): ReadonlyMap<string, TensorData> {
  if (values instanceof Map) return values;
  if (Array.isArray(values)) {
    return new Map(values.map((t) => [t.name, tensorData('float32', t.data, t.shape)] as const));
  }
  return new Map(Object.entries(values as Readonly<Record<string, TensorData>>));
}

/**
 * `inference_model.onnx` for a set of parameter values (the initial ones, or trained ones at export):
 * the deployed model's inputs and output (shared/bundle/model-contract.ts); parameters baked in as
 * initializers; no randomness.
 */
export function buildInferenceModel(
  config: SignCastConfig,
  stats: NormalizationStats,
  params: ParameterValues,
): Uint8Array {
  const { graph } = buildModel(config.model, stats, {
    mode: 'inference',
    seed: config.train.seed,
    values: parameterValueMap(params),
  });
  return graphToBytes(graph, {
    parameters: 'initializers',
    ...modelMetadata(config, 'inference', 'SignCast: landmarks -> sign probabilities'),
  });
}
