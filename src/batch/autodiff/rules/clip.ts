import * as op from '../../onnx/ops/index.ts';
import type { Tensor } from '../../onnx/tensor.ts';
import type { GradRule } from '../grad-rule.ts';

/** dy passes where min <= x <= max (bounds included, as PyTorch's clamp); the bounds get none. */
export const clipRule: GradRule = {
  differentiable: [0],
  vjp: ({ dy, input, inputs }) => {
    const x = input(0);
    const conditions: Tensor[] = [];
    if (inputs[1] !== undefined) conditions.push(op.greaterOrEqual(x, inputs[1]));
    if (inputs[2] !== undefined) conditions.push(op.lessOrEqual(x, inputs[2]));
    if (conditions.length === 0) return [dy];
    const inside = conditions.length === 1 ? conditions[0]! : op.and(conditions[0]!, conditions[1]!);
    return [op.where(inside, dy, 0)];
  },
};
