import { addGradients } from '../../autodiff/engine.ts';
import type { SignCastConfig } from '../../model/config/config-schema.ts';
import { buildModel, MODEL_OUTPUTS } from '../../model/signcast-model.ts';
import type { Graph } from '../../onnx/graph.ts';
import * as op from '../../onnx/ops/index.ts';
import type { Tensor } from '../../onnx/tensor.ts';
import type { NoiseForm, NoiseSource } from '../../onnx/noise/noise-source.ts';
import type { TensorData } from '../../onnx/tensor-data.ts';
import type { NormalizationStats } from '../../../shared/preprocess/stats.ts';
import { adamWConstants } from '../optimizer/adamw-update.ts';
import { addOptimizerScalars, addOptimizerStep } from '../optimizer/optimizer-graph.ts';
import { LOSS_SCALE } from '../optimizer/optimizer-names.ts';

/**
 * One whole training step as one graph: forward, backward and AdamW. Inputs: the packed batch, the
 * noise (fed draws, or the keys the graph draws from), step_size and decay, the parameters and
 * moments. Outputs: loss, hits (top-1/5/10 counts), global_norm and the `.new` parameters and moments.
 * With config.train.precision 'fp16' the forward and backward run in float16 (../../model/) and the
 * graph takes one more input, loss_scale: the gradients are those of loss x loss_scale, so small ones
 * survive float16, divided by it again in float32 before clipping and AdamW. An overflow shows as a
 * non-finite global_norm, and the trainer then drops the update (loss-scale.ts).
 * Neither gradients nor logits leave the graph, so on a GPU the state can stay in device buffers from
 * one step to the next (outputs placed there, fed back as the next run's inputs) and only a few
 * scalars come back.
 */
export function buildTrainStepGraph(
  config: SignCastConfig,
  stats: NormalizationStats,
  options: {
    readonly seed?: number;
    readonly noise?: NoiseForm;
    readonly values?: ReadonlyMap<string, TensorData>;
  } = {},
): { readonly graph: Graph; readonly noise: NoiseSource } {
  const { graph: g, noise } = buildModel(config.model, stats, {
    mode: 'train',
    seed: options.seed ?? config.train.seed,
    noise: options.noise ?? 'fed',
    precision: config.train.precision,
    ...(options.values !== undefined ? { values: options.values } : {}),
  });
  g.removeOutput(MODEL_OUTPUTS.logits);
  const params = [...g.parameters];
  const lossScale = config.train.precision === 'fp16' ? g.input(LOSS_SCALE, 'float32', []) : undefined;
  const objective =
    lossScale === undefined
      ? MODEL_OUTPUTS.loss
      : op.mul(g.tensor(MODEL_OUTPUTS.loss), lossScale, { name: 'scaled_loss' });
  const grads = addGradients(g, { loss: objective, wrt: params, asOutputs: false });
  const gradient = (p: Tensor): Tensor =>
    lossScale === undefined
      ? grads.get(p)!
      : op.div(grads.get(p)!, lossScale, { name: `${p.name}_unscaled` });
  addOptimizerStep(
    g,
    addOptimizerScalars(g),
    params.map((p) => ({ name: p.name, param: p, grad: gradient(p) })),
    adamWConstants(config.train),
  );
  g.prune();
  return { graph: g, noise: noise! };
}
