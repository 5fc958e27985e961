import type { Graph } from '../onnx/graph.ts';
import type { NoiseSource } from '../onnx/noise/noise-source.ts';
import * as op from '../onnx/ops/index.ts';
import type { TensorData } from '../onnx/tensor-data.ts';
import type { Tensor } from '../onnx/tensor.ts';

/** Element type of the model's parameters (and of its activations, except under mixed precision). */
export type ModelDType = 'float32' | 'float64';

/** Element type of the activations: the parameters' own, or float16 under mixed precision. */
export type ActivationDType = ModelDType | 'float16';

/**
 * What every block needs besides its inputs. Blocks find the graph here (for parameters and scopes)
 * and draw training randomness only from `noise`: an eval or inference graph has none, which is what
 * makes it deterministic.
 */
export interface ModelContext {
  readonly graph: Graph;
  /**
   * float32 for real artifacts; float64 only for gradient checks, where onnxruntime's CPU build has
   * double kernels for everything except Erf/Gelu (see `gelu.ts`).
   */
  readonly dtype: ActivationDType;
  /**
   * The parameters' dtype: `dtype` itself, except under mixed precision, where float32 parameters
   * (the master weights) are cast to float16 where they are used, so their gradients come back float32.
   */
  readonly parameterDType: ModelDType;
  /** Seeds parameter initialisation; each parameter draws from its own stream keyed by its name. */
  readonly seed: number;
  /** Dropout and frame-masking randomness; absent means "inference behaviour". */
  readonly noise?: NoiseSource;
  /**
   * Values to give the parameters instead of fresh initial ones (a trained model being exported):
   * every parameter must be present, with its shape.
   */
  readonly values?: ReadonlyMap<string, TensorData>;
}

/** x in the activations' dtype: a Cast under mixed precision, x itself otherwise. */
export function toActivationType(ctx: ModelContext, x: Tensor, name?: string): Tensor {
  return x.dtype === ctx.dtype ? x : op.cast(x, ctx.dtype, name === undefined ? {} : { name });
}

/**
 * x in the parameters' dtype, for what float16 would spoil: input normalisation, softmax over attention
 * scores (a -1e9 mask is -inf in float16), the loss and the logits it reads.
 */
export function toParameterType(ctx: ModelContext, x: Tensor, name?: string): Tensor {
  return x.dtype === ctx.parameterDType
    ? x
    : op.cast(x, ctx.parameterDType, name === undefined ? {} : { name });
}
