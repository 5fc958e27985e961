import * as op from '../../onnx/ops/index.ts';
import type { GradRule } from '../grad-rule.ts';

/** d|x| = dy * sign(x) (0 at 0, as PyTorch). */
export const absRule: GradRule = {
  differentiable: 'all',
  vjp: ({ dy, input }) => [op.mul(dy, op.sign(input(0)))],
};
