/**
 * Shape tensors for backward nodes that avoid Shape(x) where they can. A Shape node reading a forward
 * activation keeps that activation alive until the backward pass reaches it (onnxruntime frees a
 * tensor after its last reader), so constant targets are preferred: -1 for a Reshape's one unknown
 * dim, 1 for an Expand's dims that the expanded tensor already has.
 */
import * as op from '../onnx/ops/index.ts';
import type { Tensor } from '../onnx/tensor.ts';

/** A Reshape target for `x`'s shape: a constant unless two or more dims are not static. */
export function reshapeTarget(x: Tensor): Tensor {
  const unknown = x.shape.filter((d) => typeof d !== 'number').length;
  if (unknown > 1) return op.shapeOf(x);
  return x.graph.ints(x.shape.map((d) => (typeof d === 'number' ? d : -1)));
}

/**
 * An Expand target that restores `x`'s shape from a tensor equal to x on every axis except `grown`
 * (where it has size 1): a constant unless a grown axis is not static.
 */
export function expandTarget(x: Tensor, grown: readonly number[]): Tensor {
  if (grown.some((a) => typeof x.shape[a] !== 'number')) return op.shapeOf(x);
  return x.graph.ints(x.shape.map((d) => (typeof d === 'number' ? d : 1)));
}
