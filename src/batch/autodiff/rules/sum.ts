import * as op from '../../onnx/ops/index.ts';
import type { GradRule } from '../grad-rule.ts';

/** Every summand gets dy. */
export const sumRule: GradRule = {
  differentiable: 'all',
  vjp: ({ dy, inputs }) => inputs.map(() => dy),
};

/** Every input of a Mean gets dy / n. */
export const meanRule: GradRule = {
  differentiable: 'all',
  vjp: ({ dy, inputs }) => {
    const share = op.div(dy, inputs.length);
    return inputs.map(() => share);
  },
};
