import * as op from '../../onnx/ops/index.ts';
import type { GradRule } from '../grad-rule.ts';
import { reshapeTarget } from '../static-shape.ts';

/** Reshape the gradient back to the input's shape. */
export const reshapeRule: GradRule = {
  differentiable: [0],
  vjp: ({ dy, input }) => [op.reshape(dy, reshapeTarget(input(0)))],
};
