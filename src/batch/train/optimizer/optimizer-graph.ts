import { Graph } from '../../onnx/graph.ts';
import type { AdamWConstants } from './adamw-update.ts';
import { addAdamWUpdate } from './adamw-update.ts';
import {
  firstMomentName,
  GLOBAL_NORM,
  gradientName,
  OPTIMIZER_SCALARS,
  secondMomentName,
  updatedName,
} from './optimizer-names.ts';

export interface ParameterSpec {
  readonly name: string;
  readonly shape: readonly number[];
}

/**
 * `optimizer_model.onnx`: one AdamW step with global-norm clipping over every parameter.
 * Inputs: learning_rate, weight_decay, step (float32 scalars), then per parameter `<p>`, `<p>_grad`,
 * `adam_m.<p>`, `adam_v.<p>` (float32, the parameter's shape). Outputs `<p>.new`, `adam_m.<p>.new`,
 * `adam_v.<p>.new` for each parameter, then `global_norm`.
 */
export function buildOptimizerGraph(parameters: readonly ParameterSpec[], hyper: AdamWConstants): Graph {
  const g = new Graph({ name: 'signcast_adamw' });
  const scalars = {
    learningRate: g.input(OPTIMIZER_SCALARS.learningRate, 'float32', []),
    weightDecay: g.input(OPTIMIZER_SCALARS.weightDecay, 'float32', []),
    step: g.input(OPTIMIZER_SCALARS.step, 'float32', []),
  };
  const params = parameters.map((p) => g.input(p.name, 'float32', p.shape));
  const grads = parameters.map((p) => g.input(gradientName(p.name), 'float32', p.shape));
  const ms = parameters.map((p) => g.input(firstMomentName(p.name), 'float32', p.shape));
  const vs = parameters.map((p) => g.input(secondMomentName(p.name), 'float32', p.shape));
  const update = addAdamWUpdate(
    g,
    parameters.map((_, i) => ({ param: params[i]!, grad: grads[i]!, m: ms[i]!, v: vs[i]! })),
    scalars,
    hyper,
  );
  parameters.forEach((p, i) => {
    const u = update.slots[i]!;
    g.output(u.param, updatedName(p.name));
    g.output(u.m, updatedName(firstMomentName(p.name)));
    g.output(u.v, updatedName(secondMomentName(p.name)));
  });
  g.output(update.globalNorm, GLOBAL_NORM);
  return g;
}
