/**
 * The shape of a gradient rule (one operator's vector-Jacobian product, written as graph building)
 * and the shape-target helpers the rules share.
 */
import type { AttributeReader } from '../onnx/attributes.ts';
import type { Node } from '../onnx/node.ts';
import * as op from '../onnx/ops/index.ts';
import type { Tensor } from '../onnx/tensor.ts';

export interface VjpContext {
  /** The forward node being differentiated. */
  readonly node: Node;
  readonly attr: AttributeReader;
  /** Forward inputs (`undefined` where an optional input was omitted). */
  readonly inputs: readonly (Tensor | undefined)[];
  /** Forward outputs: rules reuse them (Exp's gradient is dy * y) instead of recomputing. */
  readonly outputs: readonly Tensor[];
  /** dL/d(output i), `undefined` where no gradient reaches that output (treat as zeros). */
  readonly outputGrads: readonly (Tensor | undefined)[];
  /** dL/d(output 0); for single-output operators it is always present. */
  readonly dy: Tensor;
  /** Whether dL/d(input i) is needed: a rule builds only those, returning `undefined` elsewhere. */
  readonly wants: readonly boolean[];
  /** Forward input `i`, which must be present. */
  input(i: number): Tensor;
}

export interface GradRule {
  /**
   * Input positions a gradient can flow into. The others (indices, shapes, axes, conditions, bounds)
   * never receive one, and the engine does not look for a path through them. `[]` declares an operator
   * whose outputs carry no gradient at all (comparisons, Shape, Floor: zero almost everywhere).
   */
  readonly differentiable: readonly number[] | 'all';
  /**
   * dL/d(inputs) from dL/d(outputs), built with the same op helpers as the forward graph. A returned
   * gradient has its input's dtype, and its input's shape or the shape the input was broadcast to
   * (Add's dy for a bias): the engine sums it back.
   */
  readonly vjp: (ctx: VjpContext) => readonly (Tensor | undefined)[];
}

/** Rule for operators whose outputs carry no gradient. */
export const NO_GRADIENT: GradRule = { differentiable: [], vjp: () => [] };

// Shape targets for backward nodes avoid Shape(x) where they can: a Shape node reading a forward
// activation keeps that activation alive until the backward pass reaches it (onnxruntime frees a
// tensor after its last reader), so constant targets are preferred.

/** A Reshape target for `x`'s shape: constant, with -1 for its one unknown dim, unless it has two. */
export function reshapeTarget(x: Tensor): Tensor {
  const unknown = x.shape.filter((d) => typeof d !== 'number').length;
  if (unknown > 1) return op.shapeOf(x);
  return x.graph.ints(x.shape.map((d) => (typeof d === 'number' ? d : -1)));
}

/**
 * An Expand target that restores `x`'s shape from a tensor equal to x on every axis except `grown`
 * (where it has size 1): constant, with 1 for the dims the tensor already has, unless a grown axis
 * is not static.
 */
export function expandTarget(x: Tensor, grown: readonly number[]): Tensor {
  if (grown.some((a) => typeof x.shape[a] !== 'number')) return op.shapeOf(x);
  return x.graph.ints(x.shape.map((d) => (typeof d === 'number' ? d : 1)));
}
