import * as op from '../../onnx/ops/index.ts';
import type { GradRule } from '../grad-rule.ts';

/** Float-to-float casts pass the gradient back in the input's precision (integer casts never get here). */
export const castRule: GradRule = {
  differentiable: [0],
  vjp: ({ dy, input }) => {
    const x = input(0);
    return [dy.dtype === x.dtype ? dy : op.cast(dy, x.dtype)];
  },
};
