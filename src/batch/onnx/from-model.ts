/**
 * ONNX ModelProto -> Graph, so that exported models can be rewritten with the same builder (the int8
 * quantisation transform does). Names are kept exactly; shapes are re-inferred by the op schemas, so a
 * model using an operator the builder does not know is rejected with the operator's name.
 */
import type { Attribute, Attributes } from './attributes.ts';
import type { DType } from './dtype.ts';
import { dtypeFromOnnx, fromBytes } from './dtype.ts';
import { Graph } from './graph.ts';
import { GraphError } from './graph-error.ts';
import { OP_SCHEMAS } from './ops/index.ts';
import type { AttributeProto, ModelProto, TensorProto, ValueInfoProto } from './proto/types.ts';
import { AttributeType } from './proto/types.ts';
import { decodeModel } from './proto/codec.ts';
import type { Dim } from './shape.ts';
import type { TensorData } from './tensor-data.ts';
import { tensorData } from './tensor-data.ts';
import type { Tensor } from './tensor.ts';

export interface FromModelOptions {
  /**
   * Which initializers become parameters (the rest become constants). Default: those that are also
   * listed as graph inputs, which is how ONNX marks overridable initializers.
   */
  readonly isParameter?: (name: string) => boolean;
}

const utf8 = new TextDecoder();

export function tensorFromProto(t: TensorProto): TensorData {
  if (t.dataLocation === 1) throw new Error(`tensor ${t.name ?? ''}: external data is not supported`);
  const dtype = dtypeFromOnnx(t.dataType ?? 0);
  const dims = (t.dims ?? []).map(Number);
  if (t.rawData !== undefined) return tensorData(dtype, fromBytes(dtype, t.rawData), dims);
  return tensorData(dtype, typedFieldValues(t, dtype), dims);
}

function typedFieldValues(t: TensorProto, dtype: DType): ArrayLike<number | bigint> {
  switch (dtype) {
    case 'float32':
      return t.floatData ?? [];
    case 'float64':
      return t.doubleData ?? [];
    case 'int64':
      return t.int64Data ?? [];
    case 'uint64':
      return t.uint64Data ?? [];
    case 'uint32':
      return t.uint64Data ?? [];
    default:
      // int8/16/32, uint8/16, bool and float16 bits all travel in int32_data.
      return t.int32Data ?? [];
  }
}

export function attributeFromProto(a: AttributeProto): Attribute {
  switch (a.type) {
    case AttributeType.INT:
      return { type: 'int', value: Number(a.i ?? 0n) };
    case AttributeType.FLOAT:
      return { type: 'float', value: a.f ?? 0 };
    case AttributeType.STRING:
      return { type: 'string', value: utf8.decode(a.s ?? new Uint8Array()) };
    case AttributeType.INTS:
      return { type: 'ints', value: (a.ints ?? []).map(Number) };
    case AttributeType.FLOATS:
      return { type: 'floats', value: a.floats ?? [] };
    case AttributeType.STRINGS:
      return { type: 'strings', value: (a.strings ?? []).map((s) => utf8.decode(s)) };
    case AttributeType.TENSOR:
      return { type: 'tensor', value: tensorFromProto(a.t ?? {}) };
    default:
      throw new Error(`attribute ${a.name ?? ''}: type ${a.type ?? '?'} is not supported`);
  }
}

function typeOf(v: ValueInfoProto): { dtype: DType; shape: Dim[] } {
  const tt = v.type?.tensorType;
  if (tt === undefined) throw new Error(`value ${v.name ?? ''}: only tensor types are supported`);
  const shape = (tt.shape?.dim ?? []).map((d): Dim => {
    if (d.dimValue !== undefined) return Number(d.dimValue);
    if (d.dimParam !== undefined) return d.dimParam;
    return null;
  });
  return { dtype: dtypeFromOnnx(tt.elemType ?? 0), shape };
}

/** Rebuild a Graph from a ModelProto (or its bytes). */
export function fromModel(model: ModelProto | Uint8Array, options: FromModelOptions = {}): Graph {
  const m = model instanceof Uint8Array ? decodeModel(model) : model;
  const gp = m.graph;
  if (gp === undefined) throw new Error('model has no graph');
  const opset = m.opsetImport?.find((o) => (o.domain ?? '') === '')?.version;
  const graph = new Graph({
    name: gp.name ?? 'graph',
    opset: opset === undefined ? undefined : Number(opset),
  });
  for (const o of m.opsetImport ?? []) {
    if ((o.domain ?? '') !== '') graph.domains.set(o.domain!, Number(o.version ?? 1n));
  }
  const inputNames = new Set((gp.input ?? []).map((v) => v.name ?? ''));
  const isParameter = options.isParameter ?? ((name: string) => inputNames.has(name));
  const initializerNames = new Set<string>();
  for (const init of gp.initializer ?? []) {
    const name = init.name ?? '';
    initializerNames.add(name);
    const data = tensorFromProto(init);
    if (isParameter(name)) graph.parameter(name, data, { exact: true });
    else graph.constant(data, name, { exact: true });
  }
  for (const v of gp.input ?? []) {
    const name = v.name ?? '';
    if (initializerNames.has(name)) continue;
    const { dtype, shape } = typeOf(v);
    graph.input(name, dtype, shape);
  }
  const lookup = (name: string): Tensor | undefined => (name === '' ? undefined : graph.tensor(name));
  for (const n of gp.node ?? []) {
    const domain = n.domain ?? '';
    const opType = n.opType ?? '';
    const schema = OP_SCHEMAS.get(`${domain === 'ai.onnx' ? '' : domain}:${opType}`);
    if (schema === undefined) {
      throw new GraphError(`node ${n.name ?? ''}: operator ${domain}:${opType} is not known to the builder`);
    }
    const attributes: Attributes = Object.fromEntries(
      (n.attribute ?? []).map((a) => [a.name ?? '', attributeFromProto(a)]),
    );
    graph.addNode(schema, (n.input ?? []).map(lookup), attributes, {
      exactNames: { node: n.name ?? '', outputs: n.output ?? [] },
    });
  }
  for (const v of gp.output ?? []) graph.output(graph.tensor(v.name ?? ''));
  return graph;
}
