import type { SignCastConfig } from '../../model/config/config-schema.ts';
import type { HIT_RANKS, MODEL_INPUTS, MODEL_OUTPUTS } from '../../model/signcast-model.ts';
import type { NoiseStreamSpec } from '../../onnx/noise/noise-source.ts';
import type { NormalizationStats } from '../../../shared/preprocess/stats.ts';
import type { GLOBAL_NORM, LOSS_SCALE, OPTIMIZER_SCALARS } from '../optimizer/optimizer-names.ts';

/**
 * `artifacts.json`: what `npm run artifacts` writes beside the ONNX files and the initial checkpoint,
 * and the only thing the trainer reads to learn the graphs' input and output names. Name conventions
 * (ORT's, where it has one):
 * - parameters by their scoped names (`block0/mha/qkv/kernel`); gradients `<param>_grad`;
 * - Adam moments `adam_m.<param>` / `adam_v.<param>`; optimizer outputs `<input name>.new`;
 * - noise: `noise/<stream>` (uint16 draws the trainer fills) or `noise_key/<stream>` (a uint32 key the
 *   graph draws from), both from random/counter-hash.ts, so a run replays from (seed, step).
 */
export const ARTIFACTS_FORMAT = 'signcast-artifacts/2';

/** A noise stream as written to artifacts.json (../../onnx/noise/noise-source.ts). */
export type NoiseStream = NoiseStreamSpec;

type BatchInput = (typeof MODEL_INPUTS)[keyof typeof MODEL_INPUTS];

export interface ArtifactsManifest {
  readonly format: typeof ARTIFACTS_FORMAT;
  readonly config: SignCastConfig;
  readonly stats: NormalizationStats;
  /** In optimizer order; shapes are static. */
  readonly parameters: readonly { readonly name: string; readonly shape: readonly number[] }[];
  readonly parameterCount: number;
  /**
   * The train and eval graphs' batch: packed by the trainer (../../model/frame-packing.ts), with
   * random frame masking drawn on the host from stream `frameMask.stream` (keep probability `keep`).
   */
  readonly batchInputs: readonly BatchInput[];
  readonly frameMask: { readonly stream: number; readonly keep: number };
  /** Forward and gradients: outputs loss, logits, hits and `<param>_grad` (gradients map below). */
  readonly training: {
    readonly file: string;
    readonly noise: readonly NoiseStream[];
    readonly outputs: {
      readonly loss: typeof MODEL_OUTPUTS.loss;
      readonly logits: typeof MODEL_OUTPUTS.logits;
      readonly hits: typeof MODEL_OUTPUTS.hits;
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
  /** AdamW alone: `<p>`, `<p>_grad`, moments and the scalars in; `.new` state and the norm out. */
  readonly optimizer: {
    readonly file: string;
    readonly scalarInputs: typeof OPTIMIZER_SCALARS;
    readonly normOutput: typeof GLOBAL_NORM;
  };
  /**
   * The whole step in one graph (what the trainer runs): the batch, the noise, the optimizer's scalars,
   * parameters and moments in; `.new` state, loss, hits (counts at `hitRanks`) and global_norm out.
   * `fed` draws its noise from uint16 inputs (for the CPU), `device` from uint32 keys (for a GPU).
   */
  readonly trainStep: {
    readonly fed: { readonly file: string; readonly noise: readonly NoiseStream[] };
    readonly device: { readonly file: string; readonly noise: readonly NoiseStream[] };
    readonly scalarInputs: typeof OPTIMIZER_SCALARS;
    /** Present when config.train.precision is 'fp16': the float32 scalar the loss is scaled by. */
    readonly lossScaleInput?: typeof LOSS_SCALE;
    readonly outputs: {
      readonly loss: typeof MODEL_OUTPUTS.loss;
      readonly hits: typeof MODEL_OUTPUTS.hits;
      readonly norm: typeof GLOBAL_NORM;
    };
    readonly hitRanks: typeof HIT_RANKS;
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
