import { Graph } from '../../onnx/graph.ts';
import type { Tensor } from '../../onnx/tensor.ts';
import type { AdamWConstants, AdamWScalarTensors } from './adamw-update.ts';
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

/** The optimizer's fed scalars as graph inputs: step_size, decay. */
export function addOptimizerScalars(g: Graph): AdamWScalarTensors {
  return {
    stepSize: g.input(OPTIMIZER_SCALARS.stepSize, 'float32', []),
    decay: g.input(OPTIMIZER_SCALARS.decay, 'float32', []),
  };
}

/**
 * One AdamW step over `slots` (each parameter with its gradient) inside `g`: adds the moments as
 * inputs `adam_m.<p>` then `adam_v.<p>`, and the outputs `<p>.new`, `adam_m.<p>.new`, `adam_v.<p>.new`
 * per parameter, then `global_norm`. Shared by the optimizer artifact and the fused train-step graph.
 */
export function addOptimizerStep(
  g: Graph,
  scalars: AdamWScalarTensors,
  slots: readonly { readonly name: string; readonly param: Tensor; readonly grad: Tensor }[],
  hyper: AdamWConstants,
): void {
  const ms = slots.map((s) => g.input(firstMomentName(s.name), 'float32', s.param.shape));
  const vs = slots.map((s) => g.input(secondMomentName(s.name), 'float32', s.param.shape));
  const update = addAdamWUpdate(
    g,
    slots.map((s, i) => ({ param: s.param, grad: s.grad, m: ms[i]!, v: vs[i]! })),
    scalars,
    hyper,
  );
  slots.forEach((s, i) => {
    const u = update.slots[i]!;
    g.output(u.param, updatedName(s.name));
    g.output(u.m, updatedName(firstMomentName(s.name)));
    g.output(u.v, updatedName(secondMomentName(s.name)));
  });
  g.output(update.globalNorm, GLOBAL_NORM);
}

/**
 * `optimizer_model.onnx`: one AdamW step with global-norm clipping over every parameter.
 * Inputs: step_size, decay (float32 scalars, adamWStepScalars), then per parameter `<p>`, `<p>_grad`,
 * `adam_m.<p>`, `adam_v.<p>` (float32, the parameter's shape). Outputs `<p>.new`, `adam_m.<p>.new`,
 * `adam_v.<p>.new` for each parameter, then `global_norm`.
 */
export function buildOptimizerGraph(parameters: readonly ParameterSpec[], hyper: AdamWConstants): Graph {
  const g = new Graph({ name: 'signcast_adamw' });
  const scalars = addOptimizerScalars(g);
  const params = parameters.map((p) => g.input(p.name, 'float32', p.shape));
  const grads = parameters.map((p) => g.input(gradientName(p.name), 'float32', p.shape));
  addOptimizerStep(
    g,
    scalars,
    parameters.map((p, i) => ({ name: p.name, param: params[i]!, grad: grads[i]! })),
    hyper,
  );
  return g;
}
