import * as op from '../../onnx/ops/index.ts';
import type { GradRule } from '../grad-rule.ts';

/** d tanh(x) = dy * (1 - y^2). */
export const tanhRule: GradRule = {
  differentiable: 'all',
  vjp: ({ dy, outputs }) => {
    const y = outputs[0]!;
    return [op.mul(dy, op.sub(1, op.mul(y, y)))];
  },
};
