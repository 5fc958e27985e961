/**
 * Node attributes. ONNX distinguishes int from float attributes (Gemm's `alpha` is a float, Softmax's
 * `axis` an int) while JS has one number type, so each value carries its ONNX kind.
 */
import type { TensorData } from './tensor-data.ts';

export type Attribute =
  | { readonly type: 'int'; readonly value: number }
  | { readonly type: 'float'; readonly value: number }
  | { readonly type: 'string'; readonly value: string }
  | { readonly type: 'ints'; readonly value: readonly number[] }
  | { readonly type: 'floats'; readonly value: readonly number[] }
  | { readonly type: 'strings'; readonly value: readonly string[] }
  | { readonly type: 'tensor'; readonly value: TensorData };

export type Attributes = Readonly<Record<string, Attribute>>;

export const attr = {
  int: (value: number): Attribute => {
    if (!Number.isInteger(value)) throw new Error(`int attribute must be an integer, got ${value}`);
    return { type: 'int', value };
  },
  /** ONNX float attributes are float32: round now so that rules read back what the model holds. */
  float: (value: number): Attribute => ({ type: 'float', value: Math.fround(value) }),
  string: (value: string): Attribute => ({ type: 'string', value }),
  ints: (value: readonly number[]): Attribute => {
    if (!value.every(Number.isInteger)) throw new Error(`ints attribute must hold integers, got ${value}`);
    return { type: 'ints', value: [...value] };
  },
  floats: (value: readonly number[]): Attribute => ({ type: 'floats', value: value.map(Math.fround) }),
  strings: (value: readonly string[]): Attribute => ({ type: 'strings', value: [...value] }),
  tensor: (value: TensorData): Attribute => ({ type: 'tensor', value }),
};

/** Typed reads of a node's attributes, with defaults as in the operator spec. */
export class AttributeReader {
  constructor(
    private readonly attributes: Attributes,
    private readonly where: string,
  ) {}

  has(name: string): boolean {
    return this.attributes[name] !== undefined;
  }

  int(name: string, fallback?: number): number {
    return this.get(name, 'int', fallback) as number;
  }

  float(name: string, fallback?: number): number {
    return this.get(name, 'float', fallback) as number;
  }

  string(name: string, fallback?: string): string {
    return this.get(name, 'string', fallback) as string;
  }

  ints(name: string, fallback?: readonly number[]): readonly number[] {
    return this.get(name, 'ints', fallback) as readonly number[];
  }

  floats(name: string, fallback?: readonly number[]): readonly number[] {
    return this.get(name, 'floats', fallback) as readonly number[];
  }

  tensor(name: string): TensorData {
    return this.get(name, 'tensor', undefined) as TensorData;
  }

  private get(name: string, type: Attribute['type'], fallback: unknown): unknown {
    const a = this.attributes[name];
    if (a === undefined) {
      if (fallback === undefined) throw new Error(`${this.where}: required attribute '${name}' is missing`);
      return fallback;
    }
    if (a.type !== type) throw new Error(`${this.where}: attribute '${name}' is ${a.type}, expected ${type}`);
    return a.value;
  }
}
