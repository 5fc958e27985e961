import * as op from '../../onnx/ops/index.ts';
import type { GradRule } from '../grad-rule.ts';

/** y = a / b: da = dy / b, db = -dy * a / b^2 = -(dy / b) * y (reusing the forward output). */
export const divRule: GradRule = {
  differentiable: 'all',
  vjp: ({ dy, wants, input, outputs }) => {
    const dyOverB = op.div(dy, input(1));
    return [wants[0] ? dyOverB : undefined, wants[1] ? op.neg(op.mul(dyOverB, outputs[0]!)) : undefined];
  },
};
