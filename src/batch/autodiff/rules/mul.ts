import * as op from '../../onnx/ops/index.ts';
import type { GradRule } from '../grad-rule.ts';
import { unbroadcast } from '../unbroadcast.ts';

/** d(a * b) = (dy * b, dy * a). */
export const mulRule: GradRule = {
  differentiable: 'all',
  vjp: ({ dy, wants, input }) => {
    const a = input(0);
    const b = input(1);
    return [
      wants[0] ? unbroadcast(op.mul(dy, b), a) : undefined,
      wants[1] ? unbroadcast(op.mul(dy, a), b) : undefined,
    ];
  },
};
