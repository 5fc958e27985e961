import * as op from '../../onnx/ops/index.ts';
import type { GradRule } from '../grad-rule.ts';

/** d(sqrt x) = dy / (2 y). */
export const sqrtRule: GradRule = {
  differentiable: 'all',
  vjp: ({ dy, outputs }) => [op.div(op.mul(dy, 0.5), outputs[0]!)],
};
