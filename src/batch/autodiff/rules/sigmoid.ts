import * as op from '../../onnx/ops/index.ts';
import type { GradRule } from '../grad-rule.ts';

/** d sigmoid(x) = dy * y * (1 - y). */
export const sigmoidRule: GradRule = {
  differentiable: 'all',
  vjp: ({ dy, outputs }) => {
    const y = outputs[0]!;
    return [op.mul(dy, op.mul(y, op.sub(1, y)))];
  },
};
