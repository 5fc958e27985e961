/**
 * The config every artifact and training run is built from: one JSON object with a `model` part (what the
 * ONNX graphs are generated from) and a `train` part (the recipe). Keys keep the snake_case spelling of the
 * presets and of `--set key=value`, so a key reads the same in a preset, on the command line, in a run
 * directory and in code.
 */

export interface ModelConfig {
  /** Frames per clip fed to the model (INPUT_SIZE). */
  readonly frames: number;
  readonly classes: number;
  /** Width of each landmark-group embedding. */
  readonly landmark_units: number;
  /** Transformer width. */
  readonly units: number;
  readonly blocks: number;
  readonly heads: number;
  /** MLP hidden width = units x mlp_ratio. */
  readonly mlp_ratio: number;
  readonly mlp_dropout: number;
  readonly classifier_dropout: number;
  /** Probability that a real frame is masked out in training. */
  readonly frame_mask: number;
  readonly label_smoothing: number;
}

/** The baseline's WARMUP_METHOD: 'log' multiplies by 0.1 per warm-up epoch left, 'exp' by 0.5. */
export type WarmupMethod = 'log' | 'exp';

/**
 * 'with_replacement' is the baseline's np.random.choice per sign and batch; 'cycle' walks a shuffled copy
 * of each sign's clips, so every clip is seen about once per epoch (see sampler.ts).
 */
export type SamplerMode = 'with_replacement' | 'cycle';

/**
 * The training step's arithmetic. 'fp16' is mixed precision: the forward and backward passes in float16,
 * with float32 master weights, AdamW, loss, softmax and input normalisation, and dynamic loss scaling
 * (../../train/optimizer/loss-scale.ts). Evaluation and the exported model stay float32.
 */
export type TrainPrecision = 'fp32' | 'fp16';

export interface TrainConfig {
  readonly epochs: number;
  /** Each training batch holds every sign this many times (BATCH_ALL_SIGNS_N). */
  readonly batch_all_signs_n: number;
  readonly sampler: SamplerMode;
  readonly lr_max: number;
  readonly warmup_epochs: number;
  readonly warmup_method: WarmupMethod;
  readonly num_cycles: number;
  /** Weight decay = learning rate x this, set each epoch (WD_RATIO). */
  readonly weight_decay_ratio: number;
  /** Gradients are scaled so their global L2 norm is at most this. */
  readonly clip_norm: number;
  readonly val_batch: number;
  readonly seed: number;
  readonly adam_beta1: number;
  readonly adam_beta2: number;
  readonly adam_epsilon: number;
  readonly precision: TrainPrecision;
}

export interface SignCastConfig {
  readonly model: ModelConfig;
  readonly train: TrainConfig;
}

export type ConfigSection = keyof SignCastConfig;
export const CONFIG_SECTIONS: readonly ConfigSection[] = ['model', 'train'];

/** What a key accepts; `--set` parses its text by the same rule. */
export type ValueRule =
  | { readonly kind: 'int'; readonly min: number; readonly max?: number }
  | {
      readonly kind: 'number';
      readonly min: number;
      /** The bound itself is not allowed (a probability of 1 would drop everything). */
      readonly minExclusive?: boolean;
      readonly max?: number;
      readonly maxExclusive?: boolean;
    }
  | { readonly kind: 'boolean' }
  | { readonly kind: 'enum'; readonly values: readonly string[] };

const positiveInt: ValueRule = { kind: 'int', min: 1 };
const probability: ValueRule = { kind: 'number', min: 0, max: 1, maxExclusive: true };
const positive: ValueRule = { kind: 'number', min: 0, minExclusive: true };

/** Key order here is the order of the serialised config. */
export const MODEL_RULES = {
  frames: positiveInt,
  classes: { kind: 'int', min: 2 },
  landmark_units: positiveInt,
  units: positiveInt,
  blocks: positiveInt,
  heads: positiveInt,
  mlp_ratio: positiveInt,
  mlp_dropout: probability,
  classifier_dropout: probability,
  frame_mask: probability,
  label_smoothing: probability,
} as const satisfies Record<keyof ModelConfig, ValueRule>;

export const TRAIN_RULES = {
  epochs: positiveInt,
  batch_all_signs_n: positiveInt,
  sampler: { kind: 'enum', values: ['with_replacement', 'cycle'] },
  lr_max: positive,
  warmup_epochs: { kind: 'int', min: 0 },
  warmup_method: { kind: 'enum', values: ['log', 'exp'] },
  num_cycles: positive,
  weight_decay_ratio: { kind: 'number', min: 0 },
  clip_norm: positive,
  val_batch: positiveInt,
  // The seed feeds 32-bit generators (../../random/random.ts).
  seed: { kind: 'int', min: 0, max: 0xffffffff },
  adam_beta1: probability,
  adam_beta2: probability,
  adam_epsilon: positive,
  precision: { kind: 'enum', values: ['fp32', 'fp16'] },
} as const satisfies Record<keyof TrainConfig, ValueRule>;

/**
 * Keys added after configs were first written (run directories, checkpoints, bundles): a config that
 * lacks one means this value, which is what it was built with.
 */
export const ABSENT_MEANS: { readonly [S in ConfigSection]: Readonly<Record<string, unknown>> } = {
  model: {},
  train: { precision: 'fp32' },
};

export const SECTION_RULES: { readonly [S in ConfigSection]: Readonly<Record<string, ValueRule>> } = {
  model: MODEL_RULES,
  train: TRAIN_RULES,
};

/** Every key as `section.key`, in serialisation order. */
export function qualifiedKeys(): string[] {
  return CONFIG_SECTIONS.flatMap((section) =>
    Object.keys(SECTION_RULES[section]).map((k) => `${section}.${k}`),
  );
}
