import * as op from '../../onnx/ops/index.ts';
import { normalizeAxis } from '../../onnx/shape.ts';
import { dataToNumbers } from '../../onnx/tensor-data.ts';
import type { GradRule } from '../grad-rule.ts';

/** Squeeze's gradient unsqueezes the same axes (no shape needed, unlike a Reshape). */
export const squeezeRule: GradRule = {
  differentiable: [0],
  vjp: ({ dy, input, node }) => {
    const x = input(0);
    const given = node.inputs[1]?.constantValue;
    const axes = given
      ? dataToNumbers(given).map((a) => normalizeAxis(a, x.rank, 'axes'))
      : x.shape.flatMap((d, i) => (d === 1 ? [i] : []));
    return [op.unsqueeze(dy, axes)];
  },
};
