import * as op from '../../onnx/ops/index.ts';
import type { GradRule } from '../grad-rule.ts';

/**
 * y = x^e: dx = dy * e * x^(e-1), de = dy * y * ln x. A constant scalar exponent is folded at build
 * time (x^2 -> dy * 2x, no Pow in the backward graph).
 */
export const powRule: GradRule = {
  differentiable: 'all',
  vjp: ({ dy, wants, input, outputs }) => {
    const x = input(0);
    const e = input(1);
    let dx;
    if (wants[0]) {
      const c = e.constantValue;
      if (c !== undefined && c.data.length === 1) {
        const k = Number(c.data[0]);
        const xPow = k === 2 ? x : k === 1 ? undefined : op.pow(x, x.graph.scalar(k - 1, e.dtype));
        dx = xPow === undefined ? op.mul(dy, k) : op.mul(dy, op.mul(xPow, k));
      } else {
        dx = op.mul(dy, op.mul(e, op.pow(x, op.sub(e, 1))));
      }
    }
    const de = wants[1] ? op.mul(op.mul(dy, outputs[0]!), op.log(x)) : undefined;
    return [dx, de];
  },
};
