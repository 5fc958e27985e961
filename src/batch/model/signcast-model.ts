/**
 * The whole model as one forward graph, in the three forms the artifacts need:
 * - 'train': dropout from a noise source (fed or drawn in the graph: ../onnx/noise/); outputs loss,
 *   logits and hits (top-1/5/10 counts of the batch);
 * - 'eval': the same forward without randomness; outputs loss and probabilities;
 * - 'inference': no labels, no loss; outputs probabilities.
 * The train and eval forms take their batch packed by the trainer (frame-packing.ts: only the frames
 * the mask keeps, plus where they sit), labels int32 [B]; random frame masking happens there, on the
 * host, from the same counter hash. The inference form takes the deployed model's inputs
 * (shared/bundle/model-contract.ts), padded clips, and packs them itself.
 */
import { Graph } from '../onnx/graph.ts';
import type { NoiseForm, NoiseSource } from '../onnx/noise/noise-source.ts';
import { noiseSource } from '../onnx/noise/noise-source.ts';
import * as op from '../onnx/ops/index.ts';
import type { TensorData } from '../onnx/tensor-data.ts';
import type { Tensor } from '../onnx/tensor.ts';
import { BATCH_DIM, MODEL_INPUT, MODEL_OUTPUT } from '../../shared/bundle/model-contract.ts';
import { N_COORDS, N_POINTS } from '../../shared/preprocess/constants.ts';
import type { NormalizationStats } from '../../shared/preprocess/stats.ts';
import type { ModelConfig, TrainPrecision } from './config/config-schema.ts';
import { dense } from './dense.ts';
import { dropout } from './dropout.ts';
import { embedding } from './embedding.ts';
import { FRAME_MASK_STREAM } from './frame-packing.ts';
import { ACTIVE_ROWS, FrameRows, PACKED_INPUTS } from './frame-rows.ts';
import { labelSmoothingLoss, topKHits } from './label-smoothing-loss.ts';
import { maskedMeanPool } from './masked-mean-pool.ts';
import type { ModelContext, ModelDType } from './model-context.ts';
import { toParameterType } from './model-context.ts';
import { attentionBias } from './multi-head-attention.ts';
import { normalizeLandmarks } from './normalize-landmarks.ts';
import { transformerBlock } from './transformer-block.ts';

export type ModelMode = 'train' | 'eval' | 'inference';

/** The inputs of the train and eval forms: the packed batch, each frame's index, the labels. */
export const MODEL_INPUTS = {
  ...PACKED_INPUTS,
  nonEmptyFrameIdxs: MODEL_INPUT.nonEmptyFrameIdxs,
  labels: 'labels',
} as const;

export const MODEL_OUTPUTS = {
  loss: 'loss',
  logits: 'logits',
  /** float32 [3]: how many clips of the batch have their label in the top 1, 5 and 10. */
  hits: 'hits',
  probabilities: MODEL_OUTPUT,
} as const;

/** The k of MODEL_OUTPUTS.hits, in order. */
export const HIT_RANKS = [1, 5, 10] as const;

export interface BuildModelOptions {
  readonly mode: ModelMode;
  /** Seeds the initial parameter values. */
  readonly seed: number;
  /** Default float32; float64 only for gradient checks. */
  readonly dtype?: ModelDType;
  /**
   * 'train' only: 'fp16' runs the activations in float16 over float32 parameters (mixed precision,
   * config.train.precision); logits, loss and hits stay float32. Default 'fp32'.
   */
  readonly precision?: TrainPrecision;
  /** Parameter values by name (e.g. trained ones) instead of fresh initial values; all must be given. */
  readonly values?: ReadonlyMap<string, TensorData>;
  /** 'train' only: fed noise inputs (default; for the CPU) or noise drawn in the graph from keys. */
  readonly noise?: NoiseForm;
}

export interface SignCastModel {
  readonly graph: Graph;
  /** The noise streams a 'train' graph reads (none for eval and inference). */
  readonly noise: NoiseSource | undefined;
  readonly logits: Tensor;
}

export function buildModel(
  config: ModelConfig,
  stats: NormalizationStats,
  options: BuildModelOptions,
): SignCastModel {
  const { mode } = options;
  const precision = options.precision ?? 'fp32';
  if (precision !== 'fp32' && mode !== 'train')
    throw new Error(`${precision} precision is for the training step; ${mode} graphs are float32`);
  const parameterDType = options.dtype ?? 'float32';
  const graph = new Graph({ name: `signcast_${mode}` });
  const noise =
    mode === 'train' ? noiseSource(graph, options.noise ?? 'fed', FRAME_MASK_STREAM + 1) : undefined;
  const ctx: ModelContext = {
    graph,
    dtype: precision === 'fp16' ? 'float16' : parameterDType,
    parameterDType,
    seed: options.seed,
    ...(noise !== undefined ? { noise } : {}),
    ...(options.values !== undefined ? { values: options.values } : {}),
  };
  let rows: FrameRows;
  let frames: Tensor;
  let idxs: Tensor;
  if (mode === 'inference') {
    const padded = graph.input(MODEL_INPUT.frames, 'float32', [BATCH_DIM, config.frames, N_POINTS, N_COORDS]);
    idxs = graph.input(MODEL_INPUT.nonEmptyFrameIdxs, 'float32', [BATCH_DIM, config.frames]);
    rows = FrameRows.fromMask(ctx, op.not(op.equal(idxs, -1), { name: 'real_frames' }));
    frames = graph.scope('rows', () => rows.pack(padded, 'frames'));
  } else {
    frames = graph.input(PACKED_INPUTS.frames, 'float32', [ACTIVE_ROWS, N_POINTS, N_COORDS]);
    rows = FrameRows.fed(ctx, config.frames);
    idxs = graph.input(MODEL_INPUT.nonEmptyFrameIdxs, 'float32', [BATCH_DIM, config.frames]);
  }
  const labels = mode === 'inference' ? undefined : graph.input(MODEL_INPUTS.labels, 'int32', [BATCH_DIM]);

  const groups = normalizeLandmarks(ctx, frames, stats);
  let x = embedding(ctx, groups, idxs, rows, config);
  const bias = attentionBias(ctx, rows.mask);
  for (let i = 0; i < config.blocks; i++) x = transformerBlock(ctx, x, rows, bias, config, i);
  const pooled = maskedMeanPool(ctx, x, rows);
  const logits = graph.scope('head', () => {
    const dropped = dropout(ctx, pooled, config.classifier_dropout, 'dropout');
    const head = dense(ctx, dropped.x, {
      units: config.classes,
      name: 'classifier',
      inputScale: dropped.scale,
    });
    return toParameterType(ctx, head, 'logits_wide');
  });

  if (labels !== undefined) {
    graph.output(labelSmoothingLoss(logits, labels, config.label_smoothing), MODEL_OUTPUTS.loss);
  }
  if (mode === 'train') {
    graph.output(logits, MODEL_OUTPUTS.logits);
    graph.output(topKHits(logits, labels!, HIT_RANKS), MODEL_OUTPUTS.hits);
  } else {
    graph.output(op.softmax(logits, -1, { name: 'head/softmax' }), MODEL_OUTPUTS.probabilities);
  }
  if (options.values !== undefined) {
    const known = new Set(graph.parameters.map((p) => p.name));
    const extra = [...options.values.keys()].filter((k) => !known.has(k));
    if (extra.length > 0) throw new Error(`values given for unknown parameters: ${extra.join(', ')}`);
  }
  return { graph, noise, logits };
}
