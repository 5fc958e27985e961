import * as op from '../../onnx/ops/index.ts';
import type { GradRule } from '../grad-rule.ts';

/** d(1/x) = -dy * y^2. */
export const reciprocalRule: GradRule = {
  differentiable: 'all',
  vjp: ({ dy, outputs }) => {
    const y = outputs[0]!;
    return [op.neg(op.mul(dy, op.mul(y, y)))];
  },
};
