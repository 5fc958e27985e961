/**
 * The whole model as one forward graph, in the three forms the artifacts need:
 * - 'train': dropout and random frame masking from FedNoise inputs; outputs loss and logits;
 * - 'eval': the same forward without randomness; outputs loss and probabilities;
 * - 'inference': no labels, no loss; outputs probabilities.
 * Inputs: the deployed model's (shared/bundle/model-contract.ts), with `config.frames` frames, and,
 * except for inference, labels int64 [B]. The inference form's output is the contract's.
 */
import { Graph } from '../onnx/graph.ts';
import { FedNoise } from '../onnx/noise/fed-noise.ts';
import * as op from '../onnx/ops/index.ts';
import type { TensorData } from '../onnx/tensor-data.ts';
import type { Tensor } from '../onnx/tensor.ts';
import { BATCH_DIM, MODEL_INPUT, MODEL_OUTPUT } from '../../shared/bundle/model-contract.ts';
import { N_COORDS, N_POINTS } from '../../shared/preprocess/constants.ts';
import type { NormalizationStats } from '../../shared/preprocess/stats.ts';
import type { ModelConfig } from './config/config-schema.ts';
import { dense } from './dense.ts';
import { dropout } from './dropout.ts';
import { embedding } from './embedding.ts';
import { frameMask } from './frame-mask.ts';
import { FrameRows } from './frame-rows.ts';
import { labelSmoothingLoss } from './label-smoothing-loss.ts';
import { maskedMeanPool } from './masked-mean-pool.ts';
import type { ModelContext, ModelDType } from './model-context.ts';
import { attentionBias } from './multi-head-attention.ts';
import { normalizeLandmarks } from './normalize-landmarks.ts';
import { transformerBlock } from './transformer-block.ts';

export type ModelMode = 'train' | 'eval' | 'inference';

export const MODEL_INPUTS = { ...MODEL_INPUT, labels: 'labels' } as const;

export const MODEL_OUTPUTS = { loss: 'loss', logits: 'logits', probabilities: MODEL_OUTPUT } as const;

export interface BuildModelOptions {
  readonly mode: ModelMode;
  /** Seeds the initial parameter values. */
  readonly seed: number;
  /** Default float32; float64 only for gradient checks. */
  readonly dtype?: ModelDType;
  /** Parameter values by name (e.g. trained ones) instead of fresh initial values; all must be given. */
  readonly values?: ReadonlyMap<string, TensorData>;
}

export interface SignCastModel {
  readonly graph: Graph;
  /** The noise inputs a 'train' graph reads (none for eval and inference). */
  readonly noise: FedNoise | undefined;
  readonly logits: Tensor;
}

export function buildModel(
  config: ModelConfig,
  stats: NormalizationStats,
  options: BuildModelOptions,
): SignCastModel {
  const { mode } = options;
  const graph = new Graph({ name: `signcast_${mode}` });
  const noise = mode === 'train' ? new FedNoise(graph) : undefined;
  const ctx: ModelContext = {
    graph,
    dtype: options.dtype ?? 'float32',
    seed: options.seed,
    ...(noise !== undefined ? { noise } : {}),
    ...(options.values !== undefined ? { values: options.values } : {}),
  };
  const frames = graph.input(MODEL_INPUTS.frames, 'float32', [BATCH_DIM, config.frames, N_POINTS, N_COORDS]);
  const idxs = graph.input(MODEL_INPUTS.nonEmptyFrameIdxs, 'float32', [BATCH_DIM, config.frames]);
  const labels = mode === 'inference' ? undefined : graph.input(MODEL_INPUTS.labels, 'int64', [BATCH_DIM]);

  const mask = frameMask(ctx, idxs, config.frame_mask);
  const rows = new FrameRows(ctx, mask);
  const groups = normalizeLandmarks(ctx, frames, stats);
  const packed = graph.scope('rows', () => ({
    lips: rows.pack(groups.lips, 'lips'),
    hand: rows.pack(groups.hand, 'hand'),
    pose: rows.pack(groups.pose, 'pose'),
  }));
  let x = embedding(ctx, packed, idxs, rows, config);
  const bias = attentionBias(ctx, mask);
  for (let i = 0; i < config.blocks; i++) x = transformerBlock(ctx, x, rows, bias, config, i);
  const pooled = maskedMeanPool(ctx, x, rows, mask);
  const logits = graph.scope('head', () => {
    const dropped = dropout(ctx, pooled, config.classifier_dropout, 'dropout');
    return dense(ctx, dropped.x, { units: config.classes, name: 'classifier', inputScale: dropped.scale });
  });

  if (labels !== undefined) {
    graph.output(labelSmoothingLoss(logits, labels, config.label_smoothing), MODEL_OUTPUTS.loss);
  }
  if (mode === 'train') graph.output(logits, MODEL_OUTPUTS.logits);
  else graph.output(op.softmax(logits, -1, { name: 'head/softmax' }), MODEL_OUTPUTS.probabilities);
  if (options.values !== undefined) {
    const known = new Set(graph.parameters.map((p) => p.name));
    const extra = [...options.values.keys()].filter((k) => !known.has(k));
    if (extra.length > 0) throw new Error(`values given for unknown parameters: ${extra.join(', ')}`);
  }
  return { graph, noise, logits };
}
