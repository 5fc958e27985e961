import * as op from '../../onnx/ops/index.ts';
import type { GradRule } from '../grad-rule.ts';

/** d(e^x) = dy * y. */
export const expRule: GradRule = {
  differentiable: 'all',
  vjp: ({ dy, outputs }) => [op.mul(dy, outputs[0]!)],
};
