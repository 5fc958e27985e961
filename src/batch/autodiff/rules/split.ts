import * as op from '../../onnx/ops/index.ts';
import { normalizeAxis } from '../../onnx/shape.ts';
import type { GradRule } from '../grad-rule.ts';

/** Concatenate the output gradients back, with zeros for outputs no gradient reached. */
export const splitRule: GradRule = {
  differentiable: [0],
  vjp: ({ outputGrads, outputs, input, node }) => {
    const axis = normalizeAxis(node.attr.int('axis', 0), input(0).rank, 'axis');
    const parts = outputs.map(
      (y, i) => outputGrads[i] ?? op.constantOfShape(op.shapeOf(y), 0, y.dtype, { name: 'zeros' }),
    );
    return [op.concat(parts, axis)];
  },
};
