/**
 * AdamW after global-norm clipping, as graph nodes: the ONNX form of `adamwStep` in
 * `../adamw-reference.ts` (read its header for the maths and the Keras/tfa conventions).
 *
 * Scalars (norm, clip scale, bias-corrected step size, decay factor) are computed in float64 inside
 * the graph and rounded once to float32: 1 - beta2^t at t = 1 is 1e-3, and float32 arithmetic would
 * leave it with a relative error of 1e-5. The per-element work is float32, folded to few passes:
 *   gg = g^2                              (also the norm's summand)
 *   m' = b1 m + k1 g,     k1 = s (1 - b1)
 *   v' = b2 v + k2 gg,    k2 = s^2 (1 - b2)      (s = c / max(n, c), the clip scale)
 *   p' = (1 - wd) p - a m' / (sqrt(v') + eps),   a = lr sqrt(1 - b2^t) / (1 - b1^t)
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
  /** float32 scalars. */
  readonly learningRate: Tensor;
  readonly weightDecay: Tensor;
  /** 1-based update number, float32 scalar. */
  readonly step: Tensor;
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
    const f64 = (t: Tensor) => (t.dtype === 'float64' ? t : op.cast(t, 'float64'));
    const f32 = (t: Tensor, name: string) => op.cast(t, 'float32', { name });
    const squares = slots.map((s) => op.mul(s.grad, s.grad, { name: 'grad_squared' }));
    const sums = squares.map((sq) => f64(op.reduceSum(sq, undefined, { name: 'sum_squares' })));
    const norm = op.sqrt(sums.length === 1 ? sums[0]! : op.sum(sums), { name: 'norm' });
    // c / max(n, c), plus n * 0 so that a NaN or infinite norm poisons every update, as in TensorFlow
    // (Max's NaN handling is not specified).
    const scale = op.add(
      op.div(hyper.clipNorm, op.max([norm, g.scalar(hyper.clipNorm, 'float64')])),
      op.mul(norm, 0),
      {
        name: 'clip_scale',
      },
    );
    const t = f64(scalars.step);
    const alpha = op.div(
      op.mul(f64(scalars.learningRate), op.sqrt(op.sub(1, op.pow(g.scalar(hyper.beta2, 'float64'), t)))),
      op.sub(1, op.pow(g.scalar(hyper.beta1, 'float64'), t)),
    );
    const k1 = f32(op.mul(scale, 1 - hyper.beta1), 'k1');
    const k2 = f32(op.mul(op.mul(scale, scale), 1 - hyper.beta2), 'k2');
    const stepSize = f32(alpha, 'step_size');
    const decay = f32(op.sub(1, f64(scalars.weightDecay)), 'decay');
    const updated = slots.map((s, i) => {
      const m = op.add(op.mul(s.m, hyper.beta1), op.mul(s.grad, k1), { name: 'm' });
      const v = op.add(op.mul(s.v, hyper.beta2), op.mul(squares[i]!, k2), { name: 'v' });
      const direction = op.div(m, op.add(op.sqrt(v), hyper.epsilon));
      const param = op.sub(op.mul(s.param, decay), op.mul(direction, stepSize), { name: 'param' });
      return { param, m, v };
    });
    return { slots: updated, globalNorm: f32(norm, 'global_norm') };
  });
}
