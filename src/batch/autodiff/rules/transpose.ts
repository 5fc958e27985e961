import * as op from '../../onnx/ops/index.ts';
import type { GradRule } from '../grad-rule.ts';

/** Transpose back by the inverse permutation. */
export const transposeRule: GradRule = {
  differentiable: 'all',
  vjp: ({ dy, input, attr }) => {
    const rank = input(0).rank;
    const perm = attr.ints(
      'perm',
      Array.from({ length: rank }, (_, i) => rank - 1 - i),
    );
    const inverse = new Array<number>(rank);
    perm.forEach((p, i) => {
      inverse[p] = i;
    });
    return [op.transpose(dy, inverse)];
  },
};
