import * as op from '../../onnx/ops/index.ts';
import type { GradRule } from '../grad-rule.ts';

/** Where(c, a, b): a gets dy where c holds, b where it does not; the condition gets nothing. */
export const whereRule: GradRule = {
  differentiable: [1, 2],
  vjp: ({ dy, input, wants }) => {
    const c = input(0);
    return [undefined, wants[1] ? op.where(c, dy, 0) : undefined, wants[2] ? op.where(c, 0, dy) : undefined];
  },
};
