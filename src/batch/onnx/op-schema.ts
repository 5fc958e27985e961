/** What the graph builder knows about an operator: its name, domain and shape/type inference. */
import type { Attributes } from './attributes.ts';
import { AttributeReader } from './attributes.ts';
import type { DType } from './dtype.ts';
import { isFloat } from './dtype.ts';
import type { Dim } from './shape.ts';
import { ShapeError } from './shape.ts';
import { dataToNumbers } from './tensor-data.ts';
import type { Tensor } from './tensor.ts';

export interface InferredOutput {
  readonly dtype: DType;
  readonly shape: readonly Dim[];
  readonly shapeValue?: readonly Dim[];
}

export interface OpSchema {
  readonly opType: string;
  /** '' (the default ONNX domain) unless stated. */
  readonly domain?: string;
  /** Output types and shapes; throw (ctx.fail) on anything the operator would reject at run time. */
  infer(ctx: InferContext): InferredOutput[];
}

/** Inputs and attributes of a node being added, with typed accessors for shape inference. */
export class InferContext {
  readonly attr: AttributeReader;

  constructor(
    readonly where: string,
    readonly inputs: readonly (Tensor | undefined)[],
    attributes: Attributes,
  ) {
    this.attr = new AttributeReader(attributes, where);
  }

  fail(message: string): never {
    throw new ShapeError(message);
  }

  get count(): number {
    return this.inputs.length;
  }

  input(i: number): Tensor {
    const t = this.inputs[i];
    if (t === undefined) this.fail(`input ${i} is required`);
    return t;
  }

  optional(i: number): Tensor | undefined {
    return this.inputs[i];
  }

  /** Check the inputs at `indices` share one dtype (allowed ones only, when given) and return it. */
  sameDtype(indices: readonly number[], allowed?: (d: DType) => boolean): DType {
    const first = this.input(indices[0]!);
    for (const i of indices) {
      const t = this.input(i);
      if (t.dtype !== first.dtype) {
        this.fail(`inputs must share one dtype: ${first.name} is ${first.dtype}, ${t.name} is ${t.dtype}`);
      }
    }
    if (allowed && !allowed(first.dtype)) this.fail(`dtype ${first.dtype} is not supported here`);
    return first.dtype;
  }

  requireFloat(i: number): DType {
    const t = this.input(i);
    if (!isFloat(t.dtype)) this.fail(`${t.name} must be a float tensor, got ${t.dtype}`);
    return t.dtype;
  }

  requireDtype(i: number, ...dtypes: DType[]): DType {
    const t = this.input(i);
    if (!dtypes.includes(t.dtype)) this.fail(`${t.name} must be ${dtypes.join(' or ')}, got ${t.dtype}`);
    return t.dtype;
  }

  requireRank(i: number, rank: number): void {
    const t = this.input(i);
    if (t.rank !== rank) this.fail(`${t.name} must have rank ${rank}, got ${t.toString()}`);
  }

  /** Contents of a 1-D/scalar integer input known at build time (a constant, or a static Shape). */
  constInts(i: number): number[] | undefined {
    const t = this.inputs[i];
    if (t === undefined) return undefined;
    const c = t.constantValue;
    if (c !== undefined) return dataToNumbers(c);
    if (t.shapeValue?.every((d) => typeof d === 'number')) return t.shapeValue as number[];
    return undefined;
  }

  requireConstInts(i: number, what: string): number[] {
    const v = this.constInts(i);
    if (v === undefined) this.fail(`${what} (input ${i}) must be a constant`);
    return v;
  }

  /** A shape-holding input's contents, symbolic where known (see Tensor.shapeValue). */
  shapeValue(i: number): readonly Dim[] | undefined {
    const t = this.inputs[i];
    if (t === undefined) return undefined;
    return t.shapeValue ?? this.constInts(i);
  }

  /** A scalar float input known at build time. */
  constFloat(i: number): number | undefined {
    const c = this.inputs[i]?.constantValue;
    return c === undefined || c.data.length !== 1 ? undefined : Number(c.data[0]);
  }
}
