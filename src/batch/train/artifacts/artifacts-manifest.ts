import type { SignCastConfig } from '../../model/config/config-schema.ts';
import type { MODEL_INPUTS, MODEL_OUTPUTS } from '../../model/signcast-model.ts';
import type { NormalizationStats } from '../../../shared/preprocess/stats.ts';

/**
 * `artifacts.json`: what `npm run artifacts` writes beside the four ONNX files and the initial checkpoint,
 * and the only thing the trainer reads to learn the graphs' input and output names. Name conventions
 * (ORT's, where it has one):
 * - parameters by their scoped names (`block0/mha/q/kernel`); gradients `<param>_grad`;
 * - Adam moments `adam_m.<param>` / `adam_v.<param>`; optimizer outputs `<input name>.new`;
 * - noise inputs `noise/<stream>` (uint16, filled by `fillNoise(buffer, seed, step, stream)`).
 */
export const ARTIFACTS_FORMAT = 'signcast-artifacts/1';

export interface NamedShape {
  readonly name: string;
  /** 'batch' marks the batch dimension. */
  readonly shape: readonly (number | 'batch')[];
}

export interface NoiseInputSpec extends NamedShape {
  readonly stream: number;
}

export interface ArtifactsManifest {
  readonly format: typeof ARTIFACTS_FORMAT;
  readonly config: SignCastConfig;
  readonly stats: NormalizationStats;
  /** In optimizer order; shapes are static. */
  readonly parameters: readonly { readonly name: string; readonly shape: readonly number[] }[];
  readonly parameterCount: number;
  readonly training: {
    readonly file: string;
    /** The deployed model's inputs (shared/bundle/model-contract.ts) and labels int64 [B]. */
    readonly batchInputs: readonly [
      typeof MODEL_INPUTS.frames,
      typeof MODEL_INPUTS.nonEmptyFrameIdxs,
      typeof MODEL_INPUTS.labels,
    ];
    readonly noiseInputs: readonly NoiseInputSpec[];
    /** loss float32 [] (mean over the batch), logits float32 [B, classes]. */
    readonly outputs: {
      readonly loss: typeof MODEL_OUTPUTS.loss;
      readonly logits: typeof MODEL_OUTPUTS.logits;
    };
    /** parameter name -> gradient output name. */
    readonly gradients: Readonly<Record<string, string>>;
  };
  readonly eval: {
    readonly file: string;
    readonly outputs: {
      readonly loss: typeof MODEL_OUTPUTS.loss;
      readonly probabilities: typeof MODEL_OUTPUTS.probabilities;
    };
  };
  readonly optimizer: {
    readonly file: string;
    /** float32 scalars [], step = 1-based Adam step as float32 []. */
    readonly scalarInputs: {
      readonly learningRate: 'learning_rate';
      readonly weightDecay: 'weight_decay';
      readonly step: 'step';
    };
    /** global gradient norm before clipping, float32 []. */
    readonly normOutput: 'global_norm';
  };
  readonly inference: {
    readonly file: string;
    readonly outputs: { readonly probabilities: typeof MODEL_OUTPUTS.probabilities };
  };
  /**
   * The directory, relative to artifacts.json, holding the initial checkpoint (checkpoint.safetensors
   * and checkpoint.json: read it with `readCheckpoint(join(artifactsDir, checkpoint))`). '.' today:
   * the artifacts directory itself.
   */
  readonly checkpoint: string;
}
