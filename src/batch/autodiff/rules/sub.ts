import * as op from '../../onnx/ops/index.ts';
import type { GradRule } from '../grad-rule.ts';
import { unbroadcast } from '../unbroadcast.ts';

/** d(a - b) = (dy, -dy). */
export const subRule: GradRule = {
  differentiable: 'all',
  vjp: ({ dy, wants, input }) => [
    wants[0] ? unbroadcast(dy, input(0)) : undefined,
    wants[1] ? op.neg(unbroadcast(dy, input(1))) : undefined,
  ],
};
