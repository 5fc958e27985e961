import * as op from '../../onnx/ops/index.ts';
import type { GradRule } from '../grad-rule.ts';
import { reducedAxesOf, withKeptDims } from './reduced-axes.ts';

/**
 * ReduceMax/ReduceMin: the gradient goes to the elements equal to the result, shared evenly among
 * ties (as PyTorch's amax/amin do).
 */
export const reduceExtremumRule: GradRule = {
  differentiable: [0],
  vjp: ({ node, dy, input, outputs }) => {
    const x = input(0);
    const axes = reducedAxesOf(node);
    if (axes === 'none' || axes.length === 0) return [dy];
    const hit = op.cast(op.equal(x, withKeptDims(node, outputs[0]!, axes)), x.dtype);
    const ties = op.reduceSum(hit, axes, { keepDims: true });
    return [op.mul(hit, op.div(withKeptDims(node, dy, axes), ties))];
  },
};
