/**
 * Gradients of the broadcasting arithmetic (onnx/ops/arithmetic.ts): Add, Sub, Mul, Div, Pow, the
 * variadic Sum, Mean, Max, Min, Where and Clip. Each returns its gradients in the output's shape; the
 * engine sums them back over the axes an input was broadcast along.
 */
import * as op from '../../onnx/ops/index.ts';
import type { Tensor } from '../../onnx/tensor.ts';
import type { GradRule } from '../grad-rule.ts';

/**
 * y = x^e: dx = dy * e * x^(e-1), de = dy * y * ln x. A constant scalar exponent is folded at build
 * time (x^2 -> dy * 2x, no Pow in the backward graph).
 */
const powRule: GradRule = {
  differentiable: 'all',
  vjp: ({ dy, wants, input, outputs }) => {
    const x = input(0);
    const e = input(1);
    let dx;
    if (wants[0]) {
      const c = e.constantValue;
      if (c !== undefined && c.data.length === 1) {
        const k = Number(c.data[0]);
        const xPow = k === 2 ? x : k === 1 ? undefined : op.pow(x, x.graph.scalar(k - 1, e.dtype));
        dx = xPow === undefined ? op.mul(dy, k) : op.mul(dy, op.mul(xPow, k));
      } else {
        dx = op.mul(dy, op.mul(e, op.pow(x, op.sub(e, 1))));
      }
    }
    const de = wants[1] ? op.mul(op.mul(dy, outputs[0]!), op.log(x)) : undefined;
    return [dx, de];
  },
};

/** Max/Min of several tensors: each input gets dy where it equals the result, ties sharing evenly. */
const variadicExtremumRule: GradRule = {
  differentiable: 'all',
  vjp: ({ dy, inputs, outputs, wants }) => {
    const y = outputs[0]!;
    const hits = inputs.map((x) => op.cast(op.equal(x!, y), y.dtype));
    const share = hits.length === 1 ? dy : op.div(dy, op.sum(hits));
    return hits.map((hit, i) => (wants[i] ? op.mul(share, hit) : undefined));
  },
};

export const ARITHMETIC_RULES: Readonly<Record<string, GradRule>> = {
  Add: { differentiable: 'all', vjp: ({ dy }) => [dy, dy] },
  Sub: {
    differentiable: 'all',
    vjp: ({ dy, wants }) => [wants[0] ? dy : undefined, wants[1] ? op.neg(dy) : undefined],
  },
  Mul: {
    differentiable: 'all',
    vjp: ({ dy, wants, input }) => [
      wants[0] ? op.mul(dy, input(1)) : undefined,
      wants[1] ? op.mul(dy, input(0)) : undefined,
    ],
  },
  /** y = a / b: da = dy / b, db = -dy * a / b^2 = -(dy / b) * y (reusing the forward output). */
  Div: {
    differentiable: 'all',
    vjp: ({ dy, wants, input, outputs }) => {
      const dyOverB = op.div(dy, input(1));
      return [wants[0] ? dyOverB : undefined, wants[1] ? op.neg(op.mul(dyOverB, outputs[0]!)) : undefined];
    },
  },
  Pow: powRule,
  Sum: { differentiable: 'all', vjp: ({ dy, inputs }) => inputs.map(() => dy) },
  Mean: {
    differentiable: 'all',
    vjp: ({ dy, inputs }) => {
      const share = op.div(dy, inputs.length);
      return inputs.map(() => share);
    },
  },
  Max: variadicExtremumRule,
  Min: variadicExtremumRule,
  /** a gets dy where the condition holds, b where it does not; the condition gets nothing. */
  Where: {
    differentiable: [1, 2],
    vjp: ({ dy, input, wants }) => {
      const c = input(0);
      return [
        undefined,
        wants[1] ? op.where(c, dy, 0) : undefined,
        wants[2] ? op.where(c, 0, dy) : undefined,
      ];
    },
  },
  /** ONNX Clip: dy passes where min <= x <= max (bounds included, as PyTorch's clamp); none to the bounds. */
  Clip: {
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
  },
};
