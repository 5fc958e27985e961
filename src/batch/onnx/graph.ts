/**
 * A mutable ONNX graph under construction: inputs, parameters, constants and nodes, with scoped
 * deterministic names and shape inference as each node is added.
 *
 * Operators are added through the helpers in `ops/` (`matMul(a, b)`, `softmax(x)`, ...), which call
 * `addNode` with their schema; a helper finds the graph through its tensor arguments, so model code
 * rarely needs the graph itself beyond inputs, parameters and scopes.
 */
import type { Attributes } from './attributes.ts';
import type { DType } from './dtype.ts';
import { GraphError } from './graph-error.ts';
import { Node } from './node.ts';
import type { OpSchema } from './op-schema.ts';
import { InferContext } from './op-schema.ts';
import type { Shape } from './shape.ts';
import { formatShape, ShapeError } from './shape.ts';
import type { TensorData } from './tensor-data.ts';
import { scalarData, tensorData } from './tensor-data.ts';
import { Tensor } from './tensor.ts';

/** Opset 20 (IR version 9): axes-as-input Reduce*, Gelu, BitwiseXor; onnxruntime 1.30 supports it fully. */
export const DEFAULT_OPSET = 20;

export interface GraphOptions {
  readonly name?: string;
  /** Version of the default ONNX domain. */
  readonly opset?: number;
}

export interface NodeOptions {
  /** Base name of the node (and of its output tensors), default the op type; made unique in scope. */
  readonly name?: string;
  /** Autodiff treats the outputs as constants. */
  readonly stopGradient?: boolean;
  /**
   * Use `name` verbatim (no scope, no suffix) and these output names: for decoding existing models,
   * whose names must survive a round trip. Throws if a name is taken.
   */
  readonly exactNames?: { readonly node: string; readonly outputs: readonly string[] };
}

export class Graph {
  readonly name: string;
  readonly opset: number;
  /** Extra operator domains used by nodes (e.g. com.microsoft), with their versions. */
  readonly domains = new Map<string, number>();

  readonly inputs: Tensor[] = [];
  readonly parameters: Tensor[] = [];
  readonly constants: Tensor[] = [];
  readonly nodes: Node[] = [];
  readonly outputs: Tensor[] = [];

  private readonly byName = new Map<string, Tensor>();
  private readonly nodeNames = new Set<string>();
  private readonly nextSuffix = new Map<string, number>();
  private readonly constantCache = new Map<string, Tensor>();
  private scopeStack: string[] = [];

  constructor(options: GraphOptions = {}) {
    this.name = options.name ?? 'graph';
    this.opset = options.opset ?? DEFAULT_OPSET;
  }

  // ---- scopes and names ------------------------------------------------------------------------

  /** The current scope path, e.g. 'block0/mha' ('' at the root). */
  get currentScope(): string {
    return this.scopeStack.join('/');
  }

  /** Run `fn` with `name` (which may contain '/') appended to the scope path. */
  scope<T>(name: string, fn: () => T): T {
    if (name === '' || name.startsWith('/') || name.endsWith('/')) {
      throw new GraphError(`scope name '${name}' must be non-empty without leading or trailing '/'`);
    }
    return this.atScope([...this.scopeStack, name].join('/'), fn);
  }

  /** Run `fn` with the scope path set to `path` (absolute; '' is the root). */
  atScope<T>(path: string, fn: () => T): T {
    const saved = this.scopeStack;
    this.scopeStack = path === '' ? [] : [path];
    try {
      return fn();
    } finally {
      this.scopeStack = saved;
    }
  }

  /** `name` prefixed with the current scope. */
  scoped(name: string): string {
    const scope = this.currentScope;
    return scope === '' ? name : `${scope}/${name}`;
  }

  private uniqueName(base: string, taken: (n: string) => boolean): string {
    if (!taken(base)) return base;
    let i = this.nextSuffix.get(base) ?? 1;
    while (taken(`${base}_${i}`)) i++;
    this.nextSuffix.set(base, i + 1);
    return `${base}_${i}`;
  }

  private claim(name: string, what: string): void {
    if (this.byName.has(name))
      throw new GraphError(`${what} '${name}': a tensor of that name already exists`);
  }

  /** Look a tensor up by name. */
  tensor(name: string): Tensor {
    const t = this.byName.get(name);
    if (t === undefined) throw new GraphError(`no tensor named '${name}' in graph '${this.name}'`);
    return t;
  }

  hasTensor(name: string): boolean {
    return this.byName.has(name);
  }

  /** Give a tensor a new (unique) name; graph outputs and parameters keep their references. */
  rename(t: Tensor, name: string): void {
    this.own(t, 'rename');
    if (t.name === name) return;
    this.claim(name, 'rename');
    this.byName.delete(t.name);
    t.name = name;
    this.byName.set(name, t);
  }

  private own(t: Tensor, where: string): void {
    if (t.graph !== this) throw new GraphError(`${where}: tensor '${t.name}' belongs to another graph`);
  }

  private register(t: Tensor): Tensor {
    this.byName.set(t.name, t);
    return t;
  }

  // ---- leaves ----------------------------------------------------------------------------------

  /** A graph input fed at run time. Its name is taken as given (not scoped). */
  input(name: string, dtype: DType, shape: Shape): Tensor {
    this.claim(name, 'input');
    const t = this.register(new Tensor(this, name, dtype, [...shape], { kind: 'input' }));
    this.inputs.push(t);
    return t;
  }

  /** A trainable parameter named `<scope>/<name>`, with its initial value. */
  parameter(name: string, init: TensorData, options: { exact?: boolean } = {}): Tensor {
    const full = options.exact ? name : this.scoped(name);
    this.claim(full, 'parameter');
    const t = this.register(
      new Tensor(this, full, init.dtype, [...init.dims], { kind: 'parameter', data: init }),
    );
    this.parameters.push(t);
    return t;
  }

  /**
   * A constant initializer. Unnamed small constants (<= 8 elements) are shared across the graph and
   * named after their value (`const/float32/0.5`), which keeps graphs readable in Netron.
   */
  constant(data: TensorData, name?: string, options: { exact?: boolean } = {}): Tensor {
    const small = name === undefined && data.data.length <= 8;
    const key = small ? constantKey(data) : undefined;
    if (key !== undefined) {
      const cached = this.constantCache.get(key);
      if (cached !== undefined) return cached;
    }
    const base = name !== undefined ? this.scoped(name) : (key ?? this.scoped('const'));
    let full: string;
    if (options.exact && name !== undefined) {
      // A copied graph's shared constant ('const/int64/[1]') may already exist here, made under its
      // value's name by an op added first: the same value, so the same tensor.
      const existing = this.byName.get(name);
      if (
        existing?.source.kind === 'constant' &&
        data.data.length <= 8 &&
        constantKey(existing.source.data) === constantKey(data)
      ) {
        return existing;
      }
      this.claim(name, 'constant');
      full = name;
    } else {
      full = this.uniqueName(base, (n) => this.byName.has(n));
    }
    const t = this.register(new Tensor(this, full, data.dtype, [...data.dims], { kind: 'constant', data }));
    this.constants.push(t);
    if (key !== undefined) this.constantCache.set(key, t);
    return t;
  }

  /** The initial value of every parameter by name (feeds for a graph written with parameters as inputs). */
  parameterValues(): Record<string, TensorData> {
    const values: Record<string, TensorData> = {};
    for (const p of this.parameters) if (p.source.kind === 'parameter') values[p.name] = p.source.data;
    return values;
  }

  /** A scalar constant. */
  scalar(value: number | bigint, dtype: DType): Tensor {
    return this.constant(scalarData(dtype, value));
  }

  /** A 1-D int64 constant (axes, shapes, indices). */
  ints(values: readonly number[]): Tensor {
    return this.constant(tensorData('int64', values));
  }

  // ---- nodes -----------------------------------------------------------------------------------

  /**
   * Add a node and return its outputs. Shape inference runs now: a mismatch throws a ShapeError that
   * names the node. Most code calls the typed helpers in `ops/` instead.
   */
  addNode(
    schema: OpSchema,
    inputs: readonly (Tensor | undefined)[],
    attributes: Attributes = {},
    options: NodeOptions = {},
  ): Tensor[] {
    for (const t of inputs) if (t !== undefined) this.own(t, schema.opType);
    const exact = options.exactNames;
    const base = this.scoped(options.name ?? schema.opType);
    const nodeName = exact?.node ?? this.uniqueName(base, (n) => this.nodeNames.has(n) || this.byName.has(n));
    if (exact !== undefined && nodeName !== '' && this.nodeNames.has(nodeName))
      throw new GraphError(`node name '${nodeName}' is taken`);
    const where = `${nodeName} (${schema.opType})`;
    let inferred;
    try {
      inferred = schema.infer(new InferContext(where, inputs, attributes));
    } catch (e) {
      if (e instanceof ShapeError || e instanceof GraphError) {
        const shapes = inputs.map((t) => (t === undefined ? '-' : `${t.name}${formatShape(t.shape)}`));
        throw new ShapeError(`${where}: ${e.message}\n  inputs: ${shapes.join(', ')}`);
      }
      throw e;
    }
    const domain = schema.domain ?? '';
    const node = new Node(
      nodeName,
      schema.opType,
      domain,
      [...inputs],
      attributes,
      this.currentScope,
      options.stopGradient ?? false,
    );
    this.nodeNames.add(nodeName);
    if (exact !== undefined && exact.outputs.length !== inferred.length) {
      throw new GraphError(`${where}: ${exact.outputs.length} output names for ${inferred.length} outputs`);
    }
    inferred.forEach((out, index) => {
      const outName =
        exact?.outputs[index] ??
        (inferred.length === 1
          ? nodeName
          : this.uniqueName(`${nodeName}:${index}`, (n) => this.byName.has(n)));
      this.claim(outName, 'node output');
      const t = new Tensor(
        this,
        outName,
        out.dtype,
        [...out.shape],
        { kind: 'node', node, index },
        out.shapeValue,
      );
      node.outputs.push(this.register(t));
    });
    if (domain !== '' && !this.domains.has(domain)) this.domains.set(domain, 1);
    this.nodes.push(node);
    return node.outputs;
  }

  /** Mark `t` as a graph output, renamed to `name` when given (an Identity when `t` is a leaf). */
  output(t: Tensor, name?: string): Tensor {
    this.own(t, 'output');
    let out = t;
    if (name !== undefined && t.name !== name) {
      if (t.source.kind === 'node' && !this.outputs.includes(t)) {
        this.rename(t, name);
      } else {
        out = this.addNode(IDENTITY, [t], {}, { name: 'output' })[0]!;
        this.rename(out, name);
      }
    }
    if (!this.outputs.includes(out)) this.outputs.push(out);
    return out;
  }

  /** Stop exposing the output `name` (the tensor stays for whatever reads it; prune() drops it if nothing does). */
  removeOutput(name: string): void {
    const i = this.outputs.findIndex((t) => t.name === name);
    if (i < 0) throw new GraphError(`no output ${name}`);
    this.outputs.splice(i, 1);
  }

  // ---- whole-graph operations ------------------------------------------------------------------

  /** For each tensor, the nodes that read it (in graph order). */
  consumers(): Map<Tensor, Node[]> {
    const map = new Map<Tensor, Node[]>();
    for (const n of this.nodes) {
      for (const t of n.inputs) {
        if (t === undefined) continue;
        const list = map.get(t);
        if (list === undefined) map.set(t, [n]);
        else if (list[list.length - 1] !== n) list.push(n);
      }
    }
    return map;
  }

  /**
   * Remove nodes no graph output depends on, and constants nothing reads. Inputs and parameters stay:
   * they are the graph's interface.
   */
  prune(): void {
    const live = new Set<Tensor>(this.outputs);
    const keep = new Set<Node>();
    for (let i = this.nodes.length - 1; i >= 0; i--) {
      const n = this.nodes[i]!;
      if (!n.outputs.some((t) => live.has(t))) continue;
      keep.add(n);
      for (const t of n.inputs) if (t !== undefined) live.add(t);
    }
    const dropped = this.nodes.filter((n) => !keep.has(n));
    for (const n of dropped) for (const t of n.outputs) this.byName.delete(t.name);
    this.nodes.splice(0, this.nodes.length, ...this.nodes.filter((n) => keep.has(n)));
    const unusedConstants = this.constants.filter((c) => !live.has(c));
    for (const c of unusedConstants) {
      this.byName.delete(c.name);
      for (const [k, v] of this.constantCache) if (v === c) this.constantCache.delete(k);
    }
    this.constants.splice(0, this.constants.length, ...this.constants.filter((c) => live.has(c)));
  }

  /** A deep copy (tensor data is shared: it is never mutated). */
  clone(): Graph {
    const g = new Graph({ name: this.name, opset: this.opset });
    for (const [d, v] of this.domains) g.domains.set(d, v);
    const map = new Map<Tensor, Tensor>();
    const copyLeaf = (t: Tensor, list: Tensor[]): void => {
      const c = g.register(new Tensor(g, t.name, t.dtype, t.shape, t.source, t.shapeValue));
      map.set(t, c);
      list.push(c);
    };
    for (const t of this.inputs) copyLeaf(t, g.inputs);
    for (const t of this.parameters) copyLeaf(t, g.parameters);
    for (const t of this.constants) copyLeaf(t, g.constants);
    for (const n of this.nodes) {
      const inputs = n.inputs.map((t) => (t === undefined ? undefined : map.get(t)!));
      const node = new Node(n.name, n.opType, n.domain, inputs, n.attributes, n.scope, n.stopGradient);
      n.outputs.forEach((t, index) => {
        const c = g.register(
          new Tensor(g, t.name, t.dtype, t.shape, { kind: 'node', node, index }, t.shapeValue),
        );
        map.set(t, c);
        node.outputs.push(c);
      });
      g.nodeNames.add(n.name);
      g.nodes.push(node);
    }
    for (const t of this.outputs) g.outputs.push(map.get(t)!);
    for (const n of this.nodeNames) g.nodeNames.add(n);
    for (const [k, v] of this.nextSuffix) g.nextSuffix.set(k, v);
    for (const [k, v] of this.constantCache) g.constantCache.set(k, map.get(v)!);
    return g;
  }

  toString(): string {
    const lines = [`graph ${this.name} (opset ${this.opset})`];
    for (const t of this.inputs) lines.push(`  input ${t.toString()}`);
    for (const t of this.parameters) lines.push(`  param ${t.toString()}`);
    for (const n of this.nodes) lines.push(`  ${n.toString()}`);
    for (const t of this.outputs) lines.push(`  output ${t.toString()}`);
    return lines.join('\n');
  }
}

/** Identity's schema, needed here for `output()`; the `identity` op helper uses the same one. */
export const IDENTITY: OpSchema = {
  opType: 'Identity',
  infer: (ctx) => {
    const x = ctx.input(0);
    return [{ dtype: x.dtype, shape: x.shape, ...(x.shapeValue ? { shapeValue: x.shapeValue } : {}) }];
  },
};

function constantKey(data: TensorData): string {
  const values = Array.from(data.data as ArrayLike<number | bigint>, (v) => {
    if (typeof v === 'bigint') return v.toString();
    return Object.is(v, -0) ? '-0' : String(v);
  });
  const body = data.dims.length === 0 ? values[0]! : `[${values.join(',')}]`;
  const dims = data.dims.length <= 1 ? '' : `{${data.dims.join('x')}}`;
  return `const/${data.dtype}/${body}${dims}`;
}
