import type { Graph } from '../onnx/graph.ts';
import type { NoiseSource } from '../onnx/noise/noise-source.ts';
import type { TensorData } from '../onnx/tensor-data.ts';

/** Element type of the model's activations and parameters. */
export type ModelDType = 'float32' | 'float64';

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
  readonly dtype: ModelDType;
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
