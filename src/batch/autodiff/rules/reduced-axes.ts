/** Shared by the Reduce* rules: which axes a reduce node reduced, and its gradient re-expanded. */
import type { Node } from '../../onnx/node.ts';
import * as op from '../../onnx/ops/index.ts';
import { normalizeAxis } from '../../onnx/shape.ts';
import { dataToNumbers } from '../../onnx/tensor-data.ts';
import type { Tensor } from '../../onnx/tensor.ts';

/** Sorted reduced axes, or 'none' for a no-op reduce (empty axes with noop_with_empty_axes). */
export function reducedAxesOf(node: Node): number[] | 'none' {
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
export function withKeptDims(node: Node, t: Tensor, axes: readonly number[]): Tensor {
  return node.attr.int('keepdims', 1) === 1 ? t : op.unsqueeze(t, axes);
}
