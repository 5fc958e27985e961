import * as op from '../../onnx/ops/index.ts';
import type { GradRule } from '../grad-rule.ts';

const SQRT_2_OVER_PI = Math.sqrt(2 / Math.PI);
const TANH_CUBIC = 0.044715;

/**
 * Exact Gelu = x Phi(x): d = dy * (Phi(x) + x phi(x)), Phi(x) = (1 + erf(x/sqrt 2))/2,
 * phi(x) = exp(-x^2/2)/sqrt(2 pi).
 * Tanh Gelu = x (1 + t)/2, t = tanh(u), u = sqrt(2/pi)(x + 0.044715 x^3):
 * d = dy * ((1 + t)/2 + x (1 - t^2) sqrt(2/pi)(1 + 3*0.044715 x^2) / 2).
 */
export const geluRule: GradRule = {
  differentiable: 'all',
  vjp: ({ dy, input, attr }) => {
    const x = input(0);
    const x2 = op.mul(x, x);
    if (attr.string('approximate', 'none') === 'tanh') {
      const u = op.mul(op.mul(x, op.add(op.mul(x2, TANH_CUBIC), 1)), SQRT_2_OVER_PI);
      const t = op.tanh(u);
      const du = op.mul(op.add(op.mul(x2, 3 * TANH_CUBIC), 1), SQRT_2_OVER_PI);
      const slope = op.add(op.add(t, 1), op.mul(op.mul(x, op.sub(1, op.mul(t, t))), du));
      return [op.mul(dy, op.mul(slope, 0.5))];
    }
    const cdf = op.mul(op.add(op.erf(op.mul(x, Math.SQRT1_2)), 1), 0.5);
    const pdf = op.mul(op.exp(op.mul(x2, -0.5)), 1 / Math.sqrt(2 * Math.PI));
    return [op.mul(dy, op.add(cdf, op.mul(x, pdf)))];
  },
};
