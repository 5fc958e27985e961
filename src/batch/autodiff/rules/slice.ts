import * as op from '../../onnx/ops/index.ts';
import { resolveSlice, sliceRanges } from '../../onnx/ops/slice.ts';
import { dataToNumbers } from '../../onnx/tensor-data.ts';
import type { GradRule } from '../grad-rule.ts';

/** Zero-pad dy back to the input's extent on the sliced axes (unit steps, static sliced dims). */
export const sliceRule: GradRule = {
  differentiable: [0],
  vjp: ({ dy, input, node }) => {
    const x = input(0);
    const ints = (i: number) => {
      const c = node.inputs[i]?.constantValue;
      return c === undefined ? undefined : dataToNumbers(c);
    };
    const ranges = sliceRanges(x.rank, ints(1)!, ints(2)!, ints(3), ints(4));
    const axes: number[] = [];
    const begin: number[] = [];
    const end: number[] = [];
    for (const [axis, r] of ranges) {
      const d = x.shape[axis];
      if (typeof d !== 'number')
        throw new Error(`${node.name}: slice gradient needs static dims on sliced axes`);
      if (r.step !== 1) throw new Error(`${node.name}: slice gradient supports unit steps only`);
      const { first, count } = resolveSlice(d, r);
      axes.push(axis);
      begin.push(first);
      end.push(d - first - count);
    }
    if (begin.every((b) => b === 0) && end.every((e) => e === 0)) return [dy];
    return [op.pad(dy, axes, begin, end)];
  },
};
