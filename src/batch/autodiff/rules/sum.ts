import * as op from '../../onnx/ops/index.ts';
import type { GradRule } from '../grad-rule.ts';
import { unbroadcast } from '../unbroadcast.ts';

/** Every summand gets dy. */
export const sumRule: GradRule = {
  differentiable: 'all',
  vjp: ({ dy, inputs, wants }) => inputs.map((x, i) => (wants[i] ? unbroadcast(dy, x!) : undefined)),
};

/** Every input of a Mean gets dy / n. */
export const meanRule: GradRule = {
  differentiable: 'all',
  vjp: ({ dy, inputs, wants }) => {
    const share = op.div(dy, inputs.length);
    return inputs.map((x, i) => (wants[i] ? unbroadcast(share, x!) : undefined));
  },
};
