import { addGradients } from '../../autodiff/engine.ts';
import type { SignCastConfig } from '../../model/config/config-schema.ts';
import { buildModel, MODEL_OUTPUTS } from '../../model/signcast-model.ts';
import type { Graph } from '../../onnx/graph.ts';
import type { FedNoise } from '../../onnx/noise/fed-noise.ts';
import type { NormalizationStats } from '../../../shared/preprocess/stats.ts';
import { addAdamWUpdate } from '../optimizer/adamw-update.ts';
import {
  firstMomentName,
  GLOBAL_NORM,
  OPTIMIZER_SCALARS,
  secondMomentName,
  updatedName,
} from '../optimizer/optimizer-names.ts';

/**
 * Forward, backward and AdamW in one graph: the training graph's inputs plus learning_rate,
 * weight_decay, step and the moments; outputs loss, logits, global_norm and the optimizer's `.new`
 * tensors. Gradients never leave onnxruntime.
 */
export function buildTrainStepGraph(
  config: SignCastConfig,
  stats: NormalizationStats,
  options: { readonly seed?: number } = {},
): { readonly graph: Graph; readonly noise: FedNoise | undefined } {
  const { graph: g, noise } = buildModel(config.model, stats, {
    mode: 'train',
    seed: options.seed ?? config.train.seed,
  });
  const params = [...g.parameters];
  const grads = addGradients(g, { loss: MODEL_OUTPUTS.loss, wrt: params, asOutputs: false });
  const scalars = {
    learningRate: g.input(OPTIMIZER_SCALARS.learningRate, 'float32', []),
    weightDecay: g.input(OPTIMIZER_SCALARS.weightDecay, 'float32', []),
    step: g.input(OPTIMIZER_SCALARS.step, 'float32', []),
  };
  const slots = params.map((p) => ({
    param: p,
    grad: grads.get(p)!,
    m: g.input(firstMomentName(p.name), 'float32', p.shape),
    v: g.input(secondMomentName(p.name), 'float32', p.shape),
  }));
  const update = addAdamWUpdate(g, slots, scalars, {
    beta1: config.train.adam_beta1,
    beta2: config.train.adam_beta2,
    epsilon: config.train.adam_epsilon,
    clipNorm: config.train.clip_norm,
  });
  params.forEach((p, i) => {
    const u = update.slots[i]!;
    g.output(u.param, updatedName(p.name));
    g.output(u.m, updatedName(firstMomentName(p.name)));
    g.output(u.v, updatedName(secondMomentName(p.name)));
  });
  g.output(update.globalNorm, GLOBAL_NORM);
  g.prune();
  return { graph: g, noise };
}
