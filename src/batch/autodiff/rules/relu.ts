import * as op from '../../onnx/ops/index.ts';
import type { GradRule } from '../grad-rule.ts';

/** d relu(x) = dy where x > 0, else 0. */
export const reluRule: GradRule = {
  differentiable: 'all',
  vjp: ({ dy, input }) => [op.where(op.greater(input(0), 0), dy, 0)],
};
