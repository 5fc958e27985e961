import * as op from '../../onnx/ops/index.ts';
import type { GradRule } from '../grad-rule.ts';

/** d erf(x) = dy * 2/sqrt(pi) * exp(-x^2). */
export const erfRule: GradRule = {
  differentiable: 'all',
  vjp: ({ dy, input }) => {
    const x = input(0);
    return [op.mul(dy, op.mul(op.exp(op.neg(op.mul(x, x))), 2 / Math.sqrt(Math.PI)))];
  },
};
