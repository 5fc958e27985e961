/** A node of a graph being built: one ONNX operator application. */
import type { Attributes } from './attributes.ts';
import { AttributeReader } from './attributes.ts';
import type { Tensor } from './tensor.ts';

export class Node {
  /** Filled in by the graph right after construction (outputs point back at their node). */
  readonly outputs: Tensor[] = [];
  readonly attr: AttributeReader;

  constructor(
    readonly name: string,
    readonly opType: string,
    readonly domain: string,
    /** `undefined` marks an omitted optional input (serialised as the empty name). */
    readonly inputs: readonly (Tensor | undefined)[],
    readonly attributes: Attributes,
    /** The builder scope the node was created in; autodiff puts its backward nodes under `grad/<scope>`. */
    readonly scope: string,
    /** Autodiff treats the node's outputs as constants (builder-level only, not serialised). */
    readonly stopGradient: boolean,
  ) {
    this.attr = new AttributeReader(attributes, `${name} (${opType})`);
  }

  toString(): string {
    const ins = this.inputs.map((t) => t?.name ?? '').join(', ');
    return `${this.outputs.map((t) => t.name).join(', ')} = ${this.opType}(${ins})  # ${this.name}`;
  }
}
