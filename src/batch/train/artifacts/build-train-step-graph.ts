import { addGradients } from '../../autodiff/engine.ts';
import type { SignCastConfig } from '../../model/config/config-schema.ts';
import { buildModel, MODEL_OUTPUTS } from '../../model/signcast-model.ts';
import type { Graph } from '../../onnx/graph.ts';
import type { NoiseForm, NoiseSource } from '../../onnx/noise/noise-source.ts';
import type { TensorData } from '../../onnx/tensor-data.ts';
import type { NormalizationStats } from '../../../shared/preprocess/stats.ts';
import { adamWConstants } from '../optimizer/adamw-update.ts';
import { addOptimizerScalars, addOptimizerStep } from '../optimizer/optimizer-graph.ts';

/**
 * One whole training step as one graph: forward, backward and AdamW. Inputs: the packed batch, the
 * noise (fed draws, or the keys the graph draws from), step_size and decay, the parameters and
 * moments. Outputs: loss, hits (top-1/5/10 counts), global_norm and the `.new` parameters and moments.
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
    ...(options.values !== undefined ? { values: options.values } : {}),
  });
  g.removeOutput(MODEL_OUTPUTS.logits);
  const params = [...g.parameters];
  const grads = addGradients(g, { loss: MODEL_OUTPUTS.loss, wrt: params, asOutputs: false });
  addOptimizerStep(
    g,
    addOptimizerScalars(g),
    params.map((p) => ({ name: p.name, param: p, grad: grads.get(p)! })),
    adamWConstants(config.train),
  );
  g.prune();
  return { graph: g, noise: noise! };
}
