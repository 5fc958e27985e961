/**
 * A plain TypeScript AdamW with global-norm gradient clipping: the specification that the ONNX optimizer
 * graph (optimizer_model.onnx) is tested against. It reproduces what the baseline trained with,
 * tfa.optimizers.AdamW on Keras Adam, with the clipping issue 4 asks for. One step, with step number
 * t >= 1 (the count of updates including this one), learning rate lr and weight decay wd for the step:
 *
 *   1. global norm   n = sqrt(sum over every gradient tensor and element of g^2)
 *   2. clip          g <- g * c / max(n, c)            (c = clip_norm; tf.clip_by_global_norm's formula:
 *                                                       a no-op when n <= c, safe when n = 0)
 *   3. moments       m <- b1 * m + (1 - b1) * g
 *                    v <- b2 * v + (1 - b2) * g^2
 *   4. decay         p <- p - wd * p                   (tfa's DecoupledWeightDecayExtension: wd is NOT
 *                                                       multiplied by lr; the schedule sets wd = lr x ratio)
 *   5. Adam step     p <- p - a * m / (sqrt(v) + eps),  a = lr * sqrt(1 - b2^t) / (1 - b1^t)
 *
 * Step 5 is Keras's form of bias correction (the "epsilon hat" form of Kingma & Ba, section 2): it equals
 * lr * m_hat / (sqrt(v_hat) + eps / sqrt(1 - b2^t)), which differs from PyTorch's
 * lr * m_hat / (sqrt(v_hat) + eps) only through the size of eps (1e-7 here). Decay and Adam step both use
 * the moments and the gradient, never the decayed p, so the order of 4 and 5 does not change the result:
 * p_new = p * (1 - wd) - a * m / (sqrt(v) + eps).
 *
 * Weight decay applies to every parameter, as in the baseline (no exclusion list). A non-finite gradient
 * makes n non-finite and every updated value NaN, as in TensorFlow; the trainer is expected to stop there.
 *
 * The maths is float64 on float32 inputs; each result is rounded once to float32 when stored, so the
 * float32 ONNX graph should agree to float32 rounding (relative ~1e-6), not bit for bit.
 */

export interface AdamWHyperparameters {
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;
  readonly clipNorm: number;
}

export interface AdamWStepInputs {
  /** Number of this update, starting at 1 (tfa's iterations + 1). */
  readonly step: number;
  readonly learningRate: number;
  readonly weightDecay: number;
}

/** One parameter tensor with its gradient and moments (all the same length, flattened). */
export interface AdamWSlot {
  readonly param: Float32Array;
  readonly grad: Float32Array;
  readonly m: Float32Array;
  readonly v: Float32Array;
}

export interface AdamWResult {
  readonly params: Float32Array[];
  readonly m: Float32Array[];
  readonly v: Float32Array[];
  /** The global gradient norm before clipping (what the trainer logs). */
  readonly globalNorm: number;
  /** The factor every gradient was multiplied by, c / max(n, c). */
  readonly clipScale: number;
}

export function globalNorm(grads: readonly Float32Array[]): number {
  let sum = 0;
  for (const g of grads) for (let i = 0; i < g.length; i++) sum += g[i]! * g[i]!;
  return Math.sqrt(sum);
}

export function clipScale(norm: number, clipNorm: number): number {
  return clipNorm / Math.max(norm, clipNorm);
}

/** One AdamW update of every slot; inputs are left untouched, results are new arrays. */
export function adamwStep(
  slots: readonly AdamWSlot[],
  hyper: AdamWHyperparameters,
  inputs: AdamWStepInputs,
): AdamWResult {
  const { beta1, beta2, epsilon } = hyper;
  const { step, learningRate, weightDecay } = inputs;
  if (!Number.isInteger(step) || step < 1) throw new RangeError(`step ${step} must be an integer >= 1`);
  for (const s of slots) {
    const n = s.param.length;
    if (s.grad.length !== n || s.m.length !== n || s.v.length !== n) {
      throw new RangeError(
        `slot lengths differ: param ${n}, grad ${s.grad.length}, m ${s.m.length}, v ${s.v.length}`,
      );
    }
  }
  const norm = globalNorm(slots.map((s) => s.grad));
  // A NaN norm must poison the update (see above), and Math.max(NaN, c) is NaN, so this does.
  const scale = clipScale(norm, hyper.clipNorm);
  const alpha = (learningRate * Math.sqrt(1 - beta2 ** step)) / (1 - beta1 ** step);

  const params: Float32Array[] = [];
  const ms: Float32Array[] = [];
  const vs: Float32Array[] = [];
  for (const s of slots) {
    const n = s.param.length;
    const p = new Float32Array(n);
    const m = new Float32Array(n);
    const v = new Float32Array(n);
    for (let i = 0; i < n; i++) {
      const g = s.grad[i]! * scale;
      const mi = beta1 * s.m[i]! + (1 - beta1) * g;
      const vi = beta2 * s.v[i]! + (1 - beta2) * g * g;
      const pi = s.param[i]!;
      p[i] = pi - weightDecay * pi - (alpha * mi) / (Math.sqrt(vi) + epsilon);
      m[i] = mi;
      v[i] = vi;
    }
    params.push(p);
    ms.push(m);
    vs.push(v);
  }
  return { params, m: ms, v: vs, globalNorm: norm, clipScale: scale };
}
