import * as op from '../../onnx/ops/index.ts';
import type { GradRule } from '../grad-rule.ts';

/** d(a - b) = (dy, -dy). */
export const subRule: GradRule = {
  differentiable: 'all',
  vjp: ({ dy, wants }) => [wants[0] ? dy : undefined, wants[1] ? op.neg(dy) : undefined],
};
