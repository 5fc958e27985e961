/**
 * Gradients of the reductions and of Softmax/LogSoftmax (onnx/ops/reduce.ts): dy broadcast back over
 * the reduced axes, or a reduction of dy along the normalised axis.
 */
import type { Node } from '../../onnx/node.ts';
import * as op from '../../onnx/ops/index.ts';
import { normalizeAxis, numel } from '../../onnx/shape.ts';
import { dataToNumbers } from '../../onnx/tensor-data.ts';
import type { Tensor } from '../../onnx/tensor.ts';
import type { GradRule } from '../grad-rule.ts';
import { expandTarget } from '../grad-rule.ts';

/** Sorted reduced axes, or 'none' for a no-op reduce (empty axes with noop_with_empty_axes). */
function reducedAxesOf(node: Node): number[] | 'none' {
  const x = node.inputs[0]!;
  const axesInput = node.inputs[1];
  let axes: number[] = [];
  if (axesInput !== undefined) {
    const c = axesInput.constantValue;
    if (c === undefined) throw new Error(`${node.name}: reduce axes must be a constant to differentiate`);
    axes = dataToNumbers(c);
  }
  if (axes.length === 0) {
    return node.attr.int('noop_with_empty_axes', 0) === 1 ? 'none' : x.shape.map((_, i) => i);
  }
  return axes.map((a) => normalizeAxis(a, x.rank, 'axes')).sort((a, b) => a - b);
}

/** `t` (shaped like the reduce output) with the reduced axes restored as size 1. */
function withKeptDims(node: Node, t: Tensor, axes: readonly number[]): Tensor {
  return node.attr.int('keepdims', 1) === 1 ? t : op.unsqueeze(t, axes);
}

/** ReduceMax/ReduceMin: dy goes to the elements equal to the result, ties sharing evenly (as amax). */
const reduceExtremumRule: GradRule = {
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

export const REDUCE_RULES: Readonly<Record<string, GradRule>> = {
  ReduceSum: {
    differentiable: [0],
    vjp: ({ node, dy, input }) => {
      const axes = reducedAxesOf(node);
      if (axes === 'none' || axes.length === 0) return [dy];
      const x = input(0);
      return [op.expand(withKeptDims(node, dy, axes), expandTarget(x, axes))];
    },
  },
  /**
   * dy / n broadcast back, n = number of elements averaged: a constant when the reduced dims are
   * static, otherwise Size(x) / Size(y) at run time (a mean over 'batch', say).
   */
  ReduceMean: {
    differentiable: [0],
    vjp: ({ node, dy, input, outputs }) => {
      const x = input(0);
      const axes = reducedAxesOf(node);
      if (axes === 'none' || axes.length === 0) return [dy];
      const n = numel(axes.map((a) => x.shape[a]!));
      const count =
        n !== undefined
          ? n
          : op.cast(op.div(op.sizeOf(x), op.sizeOf(outputs[0]!)), x.dtype, { name: 'count' });
      const scaled = op.div(withKeptDims(node, dy, axes), count);
      return [op.expand(scaled, expandTarget(x, axes))];
    },
  },
  ReduceMax: reduceExtremumRule,
  ReduceMin: reduceExtremumRule,
  /** y = softmax(x): dx = y * (dy - sum(dy * y, axis)). */
  Softmax: {
    differentiable: 'all',
    vjp: ({ dy, outputs, attr }) => {
      const y = outputs[0]!;
      const dot = op.reduceSum(op.mul(dy, y), [attr.int('axis', -1)], { keepDims: true });
      return [op.mul(y, op.sub(dy, dot))];
    },
  },
  /** y = log softmax(x): dx = dy - exp(y) * sum(dy, axis). */
  LogSoftmax: {
    differentiable: 'all',
    vjp: ({ dy, outputs, attr }) => {
      const total = op.reduceSum(dy, [attr.int('axis', -1)], { keepDims: true });
      return [op.sub(dy, op.mul(op.exp(outputs[0]!), total))];
    },
  },
};
