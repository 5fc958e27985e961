/**
 * AdamW after global-norm clipping, as graph nodes: the ONNX form of `adamwStep` in
 * `../adamw-reference.ts` (read its header for the maths and the Keras/tfa conventions).
 *
 * Everything in the graph is float32, which every provider runs (the WebGPU one has no float64): the
 * scalars that depend only on the step, lr and wd are computed on the host in float64 and fed rounded
 * once (`adamWStepScalars`: 1 - beta2^t at t = 1 is 1e-3, and float32 arithmetic would leave it with a
 * relative error of 1e-5). The norm is summed in float32 from per-tensor float32 sums. The per-element
 * work is folded to few passes:
 *   gg = g^2                              (also the norm's summand)
 *   m' = b1 m + k1 g,     k1 = s (1 - b1)
 *   v' = b2 v + k2 gg,    k2 = s^2 (1 - b2)      (s = c / max(n, c), the clip scale)
 *   p' = decay p - a m' / (sqrt(v') + eps),  decay = 1 - wd,  a = lr sqrt(1 - b2^t) / (1 - b1^t)
 */
import type { Graph } from '../../onnx/graph.ts';
import * as op from '../../onnx/ops/index.ts';
import type { TrainConfig } from '../../model/config/config-schema.ts';
import type { Tensor } from '../../onnx/tensor.ts';

export interface AdamWConstants {
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;
  readonly clipNorm: number;
}

/** The constants a config's train section bakes into the optimizer graph. */
export function adamWConstants(train: TrainConfig): AdamWConstants {
  return {
    beta1: train.adam_beta1,
    beta2: train.adam_beta2,
    epsilon: train.adam_epsilon,
    clipNorm: train.clip_norm,
  };
}

export interface AdamWSlotTensors {
  readonly param: Tensor;
  readonly grad: Tensor;
  readonly m: Tensor;
  readonly v: Tensor;
}

export interface AdamWScalarTensors {
  /** float32 scalars: a and 1 - wd above (adamWStepScalars). */
  readonly stepSize: Tensor;
  readonly decay: Tensor;
}

/** The step's fed scalars, from its 1-based update number, learning rate and weight decay. */
export function adamWStepScalars(
  step: number,
  learningRate: number,
  weightDecay: number,
  hyper: AdamWConstants,
): { readonly stepSize: number; readonly decay: number } {
  return {
    stepSize: Math.fround((learningRate * Math.sqrt(1 - hyper.beta2 ** step)) / (1 - hyper.beta1 ** step)),
    decay: Math.fround(1 - weightDecay),
  };
}

export interface AdamWUpdateTensors {
  readonly slots: readonly { readonly param: Tensor; readonly m: Tensor; readonly v: Tensor }[];
  /** float32 scalar: the gradients' global norm before clipping. */
  readonly globalNorm: Tensor;
}

export function addAdamWUpdate(
  g: Graph,
  slots: readonly AdamWSlotTensors[],
  scalars: AdamWScalarTensors,
  hyper: AdamWConstants,
): AdamWUpdateTensors {
  return g.scope('adamw', () => {
    const squares = slots.map((s) => op.mul(s.grad, s.grad, { name: 'grad_squared' }));
    // One [n] vector of per-tensor sums, reduced once: no variadic Sum (no WebGPU kernel) and no
    // scalar per tensor read back to the host.
    const sums = op.concat(
      squares
        .map((sq) => op.reduceSum(sq, undefined, { keepDims: false, name: 'sum_squares' }))
        .map((t) => op.unsqueeze(t, [0])),
      0,
      { name: 'sums_of_squares' },
    );
    const norm = op.sqrt(op.reduceSum(sums, [0]), { name: 'norm' });
    // c / max(n, c), plus n * 0 so that a NaN or infinite norm poisons every update, as in TensorFlow
    // (Clip's NaN handling is not specified).
    const scale = op.add(op.div(hyper.clipNorm, op.clamp(norm, hyper.clipNorm)), op.mul(norm, 0), {
      name: 'clip_scale',
    });
    const k1 = op.mul(scale, 1 - hyper.beta1, { name: 'k1' });
    const k2 = op.mul(op.mul(scale, scale), 1 - hyper.beta2, { name: 'k2' });
    const updated = slots.map((s, i) => {
      const m = op.add(op.mul(s.m, hyper.beta1), op.mul(s.grad, k1), { name: 'm' });
      const v = op.add(op.mul(s.v, hyper.beta2), op.mul(squares[i]!, k2), { name: 'v' });
      const direction = op.div(m, op.add(op.sqrt(v), hyper.epsilon));
      const param = op.sub(op.mul(s.param, scalars.decay), op.mul(direction, scalars.stepSize), {
        name: 'param',
      });
      return { param, m, v };
    });
    return { slots: updated, globalNorm: op.identity(norm, { name: 'global_norm' }) };
  });
}
