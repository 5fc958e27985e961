import * as op from '../../onnx/ops/index.ts';
import { numel } from '../../onnx/shape.ts';
import type { GradRule } from '../grad-rule.ts';
import { expandTarget } from '../static-shape.ts';
import { reducedAxesOf, withKeptDims } from './reduced-axes.ts';

/**
 * dx = dy / n broadcast back, n = number of elements averaged. n is a constant when the reduced dims
 * are static; otherwise it is Size(x) / Size(y) at run time (a mean over 'batch', say).
 */
export const reduceMeanRule: GradRule = {
  differentiable: [0],
  vjp: ({ node, dy, input, outputs }) => {
    const x = input(0);
    const axes = reducedAxesOf(node);
    if (axes === 'none' || axes.length === 0) return [dy];
    const n = numel(axes.map((a) => x.shape[a]!));
    const count =
      n !== undefined ? n : op.cast(op.div(op.sizeOf(x), op.sizeOf(outputs[0]!)), x.dtype, { name: 'count' });
    const scaled = op.div(withKeptDims(node, dy, axes), count);
    return [op.expand(scaled, expandTarget(x, axes))];
  },
};
