/** Symbolic tensors: the values that flow between the nodes of a graph being built. */
import type { DType } from './dtype.ts';
import type { Graph } from './graph.ts';
import type { Node } from './node.ts';
import type { Dim, Shape } from './shape.ts';
import { formatShape } from './shape.ts';
import type { TensorData } from './tensor-data.ts';

/** Where a tensor's value comes from. */
export type TensorSource =
  /** A graph input, fed at run time. */
  | { readonly kind: 'input' }
  /** A constant initializer: its value is known while the graph is built. */
  | { readonly kind: 'constant'; readonly data: TensorData }
  /**
   * A trainable parameter with its initial value: serialised as a graph input (training graphs) or
   * as an initializer (inference graphs), see `toModel`.
   */
  | { readonly kind: 'parameter'; readonly data: TensorData }
  /** Output `index` of a node. */
  | { readonly kind: 'node'; readonly node: Node; readonly index: number };

export class Tensor {
  /** Unique within its graph; change it only through `graph.rename` or `graph.output`. */
  name: string;

  constructor(
    readonly graph: Graph,
    name: string,
    readonly dtype: DType,
    readonly shape: Shape,
    readonly source: TensorSource,
    /**
     * For a 1-D int64 tensor that holds a shape (a constant, or the output of Shape): its elements,
     * symbolic where the shape is. Lets Reshape/Expand/ConstantOfShape infer symbolic output shapes.
     */
    readonly shapeValue?: readonly Dim[],
  ) {
    this.name = name;
  }

  get rank(): number {
    return this.shape.length;
  }

  /** The node that computes this tensor, if any. */
  get producer(): Node | undefined {
    return this.source.kind === 'node' ? this.source.node : undefined;
  }

  /** The value, when it is a build-time constant (parameters are not: training changes them). */
  get constantValue(): TensorData | undefined {
    return this.source.kind === 'constant' ? this.source.data : undefined;
  }

  toString(): string {
    return `${this.name}: ${this.dtype}${formatShape(this.shape)}`;
  }
}
