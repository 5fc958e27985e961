import * as op from '../../onnx/ops/index.ts';
import type { GradRule } from '../grad-rule.ts';

/** d(a * b) = (dy * b, dy * a). */
export const mulRule: GradRule = {
  differentiable: 'all',
  vjp: ({ dy, wants, input }) => {
    const a = input(0);
    const b = input(1);
    return [wants[0] ? op.mul(dy, b) : undefined, wants[1] ? op.mul(dy, a) : undefined];
  },
};
