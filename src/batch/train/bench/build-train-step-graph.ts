import { addGradients } from '../../autodiff/engine.ts';
import type { SignCastConfig } from '../../model/config/config-schema.ts';
import { buildModel, MODEL_OUTPUTS } from '../../model/signcast-model.ts';
import type { Graph } from '../../onnx/graph.ts';
import type { FedNoise } from '../../onnx/noise/fed-noise.ts';
import type { NormalizationStats } from '../../../shared/preprocess/stats.ts';
import { adamWConstants } from '../optimizer/adamw-update.ts';
import { addOptimizerScalars, addOptimizerStep } from '../optimizer/optimizer-graph.ts';

/**
 * Forward, backward and AdamW in one graph: the training graph's inputs plus learning_rate,
 * weight_decay, step and the moments; outputs loss, logits, global_norm and the optimizer's `.new`
 * tensors. Gradients never leave onnxruntime. Only `npm run bench:train-step --mode fused` builds it:
 * it saved a few percent at best, so the trainer keeps its two sessions (../artifacts/README.md).
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
  addOptimizerStep(
    g,
    addOptimizerScalars(g),
    params.map((p) => ({ name: p.name, param: p, grad: grads.get(p)! })),
    adamWConstants(config.train),
  );
  g.prune();
  return { graph: g, noise };
}
