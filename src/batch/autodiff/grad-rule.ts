/** The shape of a gradient rule: one operator's vector-Jacobian product, written as graph building. */
import type { AttributeReader } from '../onnx/attributes.ts';
import type { Node } from '../onnx/node.ts';
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
