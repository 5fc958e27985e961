/** Graph -> ONNX ModelProto (plain objects; `encodeModel` turns them into bytes). */
import type { Attribute } from './attributes.ts';
import { bytesPerElement, onnxDataType } from './dtype.ts';
import type { Graph } from './graph.ts';
import type {
  AttributeProto,
  ModelProto,
  NodeProto,
  TensorProto,
  TensorShapeDimension,
  ValueInfoProto,
} from './proto/types.ts';
import { AttributeType } from './proto/types.ts';
import { encodeModel } from './proto/codec.ts';
import type { TensorData } from './tensor-data.ts';
import type { Tensor } from './tensor.ts';

export interface ToModelOptions {
  /**
   * How parameters are written: as graph inputs fed on every run (training graphs), or baked in as
   * initializers (inference graphs). Default 'initializers'.
   */
  readonly parameters?: 'inputs' | 'initializers';
  /**
   * Write the builder's inferred type and shape of every intermediate tensor as value_info (default
   * true). onnxruntime checks them against its own inference when it loads the model, which makes
   * every session creation a test of the builder's shape inference.
   */
  readonly valueInfo?: boolean;
  readonly producerName?: string;
  readonly docString?: string;
  readonly metadata?: Readonly<Record<string, string>>;
}

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** The IR version that goes with an opset (ONNX's release table). */
export function irVersionForOpset(opset: number): bigint {
  if (opset <= 18) return 8n;
  if (opset <= 20) return 9n;
  if (opset <= 22) return 10n;
  return 11n;
}

const INT64_MAX = 2n ** 63n - 1n;
const INT64_MIN = -(2n ** 63n);

/** A JS number as int64; the doubles nearest INT64_MAX/MIN (sentinels in exported models) saturate. */
export function toInt64(n: number): bigint {
  if (!Number.isInteger(n)) throw new Error(`${n} is not an integer`);
  const b = BigInt(n);
  return b > INT64_MAX ? INT64_MAX : b < INT64_MIN ? INT64_MIN : b;
}

export function tensorToProto(data: TensorData, name?: string): TensorProto {
  if (!LITTLE_ENDIAN) throw new Error('ONNX raw_data is little-endian; this host is not');
  const view = data.data;
  const bytes = new Uint8Array(view.buffer, view.byteOffset, view.length * bytesPerElement(data.dtype));
  return {
    dims: data.dims.map((d) => BigInt(d)),
    dataType: onnxDataType(data.dtype),
    ...(name !== undefined ? { name } : {}),
    rawData: bytes,
  };
}

const utf8 = new TextEncoder();

export function attributeToProto(name: string, a: Attribute): AttributeProto {
  switch (a.type) {
    case 'int':
      return { name, type: AttributeType.INT, i: toInt64(a.value) };
    case 'float':
      return { name, type: AttributeType.FLOAT, f: a.value };
    case 'string':
      return { name, type: AttributeType.STRING, s: utf8.encode(a.value) };
    case 'ints':
      return { name, type: AttributeType.INTS, ints: a.value.map(toInt64) };
    case 'floats':
      return { name, type: AttributeType.FLOATS, floats: [...a.value] };
    case 'strings':
      return { name, type: AttributeType.STRINGS, strings: a.value.map((s) => utf8.encode(s)) };
    case 'tensor':
      return { name, type: AttributeType.TENSOR, t: tensorToProto(a.value) };
  }
}

export function valueInfo(t: Tensor): ValueInfoProto {
  const dim = t.shape.map((d): TensorShapeDimension => {
    if (typeof d === 'number') return { dimValue: BigInt(d) };
    if (typeof d === 'string') return { dimParam: d };
    return {};
  });
  return { name: t.name, type: { tensorType: { elemType: onnxDataType(t.dtype), shape: { dim } } } };
}

/** Build the ModelProto for a graph. */
export function toModel(graph: Graph, options: ToModelOptions = {}): ModelProto {
  if (graph.outputs.length === 0) throw new Error(`graph '${graph.name}' has no outputs`);
  const paramsAsInputs = options.parameters === 'inputs';
  const inputs = paramsAsInputs ? [...graph.inputs, ...graph.parameters] : graph.inputs;
  const initializers = paramsAsInputs ? graph.constants : [...graph.parameters, ...graph.constants];
  const leaves = new Set<Tensor>([...graph.inputs, ...graph.parameters, ...graph.constants]);
  const outputs = new Set(graph.outputs);

  const node: NodeProto[] = graph.nodes.map((n) => {
    const input = n.inputs.map((t) => t?.name ?? '');
    while (input.length > 0 && input[input.length - 1] === '') input.pop();
    const attribute = Object.entries(n.attributes).map(([k, a]) => attributeToProto(k, a));
    return {
      input,
      output: n.outputs.map((t) => t.name),
      ...(n.name !== '' ? { name: n.name } : {}),
      opType: n.opType,
      ...(n.domain !== '' ? { domain: n.domain } : {}),
      ...(attribute.length > 0 ? { attribute } : {}),
    };
  });
  const intermediates =
    options.valueInfo === false
      ? []
      : graph.nodes.flatMap((n) => n.outputs).filter((t) => !outputs.has(t) && !leaves.has(t));

  const opsetImport = [
    { domain: '', version: BigInt(graph.opset) },
    ...[...graph.domains].map(([domain, version]) => ({ domain, version: BigInt(version) })),
  ];
  const metadata = Object.entries(options.metadata ?? {}).map(([key, value]) => ({ key, value }));
  return {
    irVersion: irVersionForOpset(graph.opset),
    producerName: options.producerName ?? 'signcast',
    ...(options.docString !== undefined ? { docString: options.docString } : {}),
    graph: {
      node,
      name: graph.name,
      initializer: initializers.map((t) => tensorToProto(dataOf(t), t.name)),
      input: inputs.map(valueInfo),
      output: graph.outputs.map(valueInfo),
      ...(intermediates.length > 0 ? { valueInfo: intermediates.map(valueInfo) } : {}),
    },
    opsetImport,
    ...(metadata.length > 0 ? { metadataProps: metadata } : {}),
  };
}

function dataOf(t: Tensor): TensorData {
  const s = t.source;
  if (s.kind === 'constant' || s.kind === 'parameter') return s.data;
  throw new Error(`tensor ${t.name} has no data to write as an initializer`);
}

/** Graph -> ONNX bytes in one step. */
export function graphToBytes(graph: Graph, options: ToModelOptions = {}): Uint8Array {
  return encodeModel(toModel(graph, options));
}
