import * as op from '../../onnx/ops/index.ts';
import type { GradRule } from '../grad-rule.ts';
import { expandTarget } from '../static-shape.ts';
import { reducedAxesOf, withKeptDims } from './reduced-axes.ts';

/** dx = dy broadcast back over the reduced axes. */
export const reduceSumRule: GradRule = {
  differentiable: [0],
  vjp: ({ node, dy, input }) => {
    const axes = reducedAxesOf(node);
    if (axes === 'none' || axes.length === 0) return [dy];
    const x = input(0);
    return [op.expand(withKeptDims(node, dy, axes), expandTarget(x, axes))];
  },
};
