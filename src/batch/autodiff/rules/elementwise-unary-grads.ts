/** Gradients of the shape-preserving unary operators (onnx/ops/elementwise-unary.ts). */
import * as op from '../../onnx/ops/index.ts';
import type { Tensor } from '../../onnx/tensor.ts';
import type { GradRule, VjpContext } from '../grad-rule.ts';

/** dx from dy, the input x and the output y, which rules reuse rather than recompute. */
function unary(dx: (dy: Tensor, x: Tensor, y: Tensor, ctx: VjpContext) => Tensor): GradRule {
  return { differentiable: 'all', vjp: (ctx) => [dx(ctx.dy, ctx.input(0), ctx.outputs[0]!, ctx)] };
}

const SQRT_2_OVER_PI = Math.sqrt(2 / Math.PI);
const TANH_CUBIC = 0.044715;

/**
 * Exact Gelu = x Phi(x): d = dy * (Phi(x) + x phi(x)), Phi(x) = (1 + erf(x/sqrt 2))/2,
 * phi(x) = exp(-x^2/2)/sqrt(2 pi).
 * Tanh Gelu = x (1 + t)/2, t = tanh(u), u = sqrt(2/pi)(x + 0.044715 x^3):
 * d = dy * ((1 + t)/2 + x (1 - t^2) sqrt(2/pi)(1 + 3*0.044715 x^2) / 2).
 */
function geluGrad(dy: Tensor, x: Tensor, approximate: string): Tensor {
  const x2 = op.mul(x, x);
  if (approximate === 'tanh') {
    const u = op.mul(op.mul(x, op.add(op.mul(x2, TANH_CUBIC), 1)), SQRT_2_OVER_PI);
    const t = op.tanh(u);
    const du = op.mul(op.add(op.mul(x2, 3 * TANH_CUBIC), 1), SQRT_2_OVER_PI);
    const slope = op.add(op.add(t, 1), op.mul(op.mul(x, op.sub(1, op.mul(t, t))), du));
    return op.mul(dy, op.mul(slope, 0.5));
  }
  const cdf = op.mul(op.add(op.erf(op.mul(x, Math.SQRT1_2)), 1), 0.5);
  const pdf = op.mul(op.exp(op.mul(x2, -0.5)), 1 / Math.sqrt(2 * Math.PI));
  return op.mul(dy, op.add(cdf, op.mul(x, pdf)));
}

export const ELEMENTWISE_UNARY_RULES: Readonly<Record<string, GradRule>> = {
  Identity: unary((dy) => dy),
  Neg: unary((dy) => op.neg(dy)),
  /** 0 at 0, as PyTorch. */
  Abs: unary((dy, x) => op.mul(dy, op.sign(x))),
  Exp: unary((dy, _x, y) => op.mul(dy, y)),
  Log: unary((dy, x) => op.div(dy, x)),
  Sqrt: unary((dy, _x, y) => op.div(op.mul(dy, 0.5), y)),
  Reciprocal: unary((dy, _x, y) => op.neg(op.mul(dy, op.mul(y, y)))),
  Erf: unary((dy, x) => op.mul(dy, op.mul(op.exp(op.neg(op.mul(x, x))), 2 / Math.sqrt(Math.PI)))),
  Tanh: unary((dy, _x, y) => op.mul(dy, op.sub(1, op.mul(y, y)))),
  Sigmoid: unary((dy, _x, y) => op.mul(dy, op.mul(y, op.sub(1, y)))),
  Relu: unary((dy, x) => op.where(op.greater(x, 0), dy, 0)),
  Gelu: unary((dy, x, _y, { attr }) => geluGrad(dy, x, attr.string('approximate', 'none'))),
  /** Float-to-float only (integer casts carry no gradient): back in the input's precision. */
  Cast: unary((dy, x) => (dy.dtype === x.dtype ? dy : op.cast(dy, x.dtype))),
};
