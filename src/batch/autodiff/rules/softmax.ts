import * as op from '../../onnx/ops/index.ts';
import type { GradRule } from '../grad-rule.ts';

/** y = softmax(x): dx = y * (dy - sum(dy * y, axis)). */
export const softmaxRule: GradRule = {
  differentiable: 'all',
  vjp: ({ dy, outputs, attr }) => {
    const y = outputs[0]!;
    const axis = attr.int('axis', -1);
    const dot = op.reduceSum(op.mul(dy, y), [axis], { keepDims: true });
    return [op.mul(y, op.sub(dy, dot))];
  },
};
