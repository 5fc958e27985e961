import * as op from '../../onnx/ops/index.ts';
import type { GradRule } from '../grad-rule.ts';

/** y = log softmax(x): dx = dy - exp(y) * sum(dy, axis). */
export const logSoftmaxRule: GradRule = {
  differentiable: 'all',
  vjp: ({ dy, outputs, attr }) => {
    const axis = attr.int('axis', -1);
    const total = op.reduceSum(dy, [axis], { keepDims: true });
    return [op.sub(dy, op.mul(op.exp(outputs[0]!), total))];
  },
};
