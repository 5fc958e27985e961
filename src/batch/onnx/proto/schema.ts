/**
 * The field numbers of the ONNX messages this codec models, transcribed from onnx.proto (proto2
 * syntax: repeated scalars are unpacked unless the .proto says `[packed = true]`, which it does only
 * for TensorProto's *_data fields).
 */

export type ScalarKind = 'string' | 'bytes' | 'int64' | 'uint64' | 'int32' | 'float' | 'double';

export interface FieldSpec {
  readonly no: number;
  readonly key: string;
  /** A scalar kind, or a thunk for a nested message (thunks allow the Graph/Attribute/Node cycle). */
  readonly kind: ScalarKind | (() => MessageSpec);
  readonly repeated?: boolean;
  readonly packed?: boolean;
}

export interface MessageSpec {
  readonly name: string;
  /** Sorted by field number: the encoder writes in this order, as protobuf's C++ serializer does. */
  readonly fields: readonly FieldSpec[];
}

function message(name: string, fields: FieldSpec[]): MessageSpec {
  return { name, fields: [...fields].sort((a, b) => a.no - b.no) };
}

export const StringStringEntrySpec = message('StringStringEntryProto', [
  { no: 1, key: 'key', kind: 'string' },
  { no: 2, key: 'value', kind: 'string' },
]);

export const OperatorSetIdSpec = message('OperatorSetIdProto', [
  { no: 1, key: 'domain', kind: 'string' },
  { no: 2, key: 'version', kind: 'int64' },
]);

export const TensorSegmentSpec = message('TensorProto.Segment', [
  { no: 1, key: 'begin', kind: 'int64' },
  { no: 2, key: 'end', kind: 'int64' },
]);

export const TensorSpec: MessageSpec = message('TensorProto', [
  { no: 1, key: 'dims', kind: 'int64', repeated: true },
  { no: 2, key: 'dataType', kind: 'int32' },
  { no: 3, key: 'segment', kind: () => TensorSegmentSpec },
  { no: 4, key: 'floatData', kind: 'float', repeated: true, packed: true },
  { no: 5, key: 'int32Data', kind: 'int32', repeated: true, packed: true },
  { no: 6, key: 'stringData', kind: 'bytes', repeated: true },
  { no: 7, key: 'int64Data', kind: 'int64', repeated: true, packed: true },
  { no: 8, key: 'name', kind: 'string' },
  { no: 9, key: 'rawData', kind: 'bytes' },
  { no: 10, key: 'doubleData', kind: 'double', repeated: true, packed: true },
  { no: 11, key: 'uint64Data', kind: 'uint64', repeated: true, packed: true },
  { no: 12, key: 'docString', kind: 'string' },
  { no: 13, key: 'externalData', kind: () => StringStringEntrySpec, repeated: true },
  { no: 14, key: 'dataLocation', kind: 'int32' },
  { no: 16, key: 'metadataProps', kind: () => StringStringEntrySpec, repeated: true },
]);

export const TensorShapeDimensionSpec = message('TensorShapeProto.Dimension', [
  { no: 1, key: 'dimValue', kind: 'int64' },
  { no: 2, key: 'dimParam', kind: 'string' },
  { no: 3, key: 'denotation', kind: 'string' },
]);

export const TensorShapeSpec = message('TensorShapeProto', [
  { no: 1, key: 'dim', kind: () => TensorShapeDimensionSpec, repeated: true },
]);

export const TypeTensorSpec = message('TypeProto.Tensor', [
  { no: 1, key: 'elemType', kind: 'int32' },
  { no: 2, key: 'shape', kind: () => TensorShapeSpec },
]);

export const TypeSpec = message('TypeProto', [
  { no: 1, key: 'tensorType', kind: () => TypeTensorSpec },
  { no: 6, key: 'denotation', kind: 'string' },
]);

export const ValueInfoSpec = message('ValueInfoProto', [
  { no: 1, key: 'name', kind: 'string' },
  { no: 2, key: 'type', kind: () => TypeSpec },
  { no: 3, key: 'docString', kind: 'string' },
  { no: 4, key: 'metadataProps', kind: () => StringStringEntrySpec, repeated: true },
]);

export const AttributeSpec: MessageSpec = message('AttributeProto', [
  { no: 1, key: 'name', kind: 'string' },
  { no: 2, key: 'f', kind: 'float' },
  { no: 3, key: 'i', kind: 'int64' },
  { no: 4, key: 's', kind: 'bytes' },
  { no: 5, key: 't', kind: () => TensorSpec },
  { no: 6, key: 'g', kind: () => GraphSpec },
  { no: 7, key: 'floats', kind: 'float', repeated: true },
  { no: 8, key: 'ints', kind: 'int64', repeated: true },
  { no: 9, key: 'strings', kind: 'bytes', repeated: true },
  { no: 10, key: 'tensors', kind: () => TensorSpec, repeated: true },
  { no: 11, key: 'graphs', kind: () => GraphSpec, repeated: true },
  { no: 13, key: 'docString', kind: 'string' },
  { no: 14, key: 'tp', kind: () => TypeSpec },
  { no: 15, key: 'typeProtos', kind: () => TypeSpec, repeated: true },
  { no: 20, key: 'type', kind: 'int32' },
  { no: 21, key: 'refAttrName', kind: 'string' },
]);

export const NodeSpec: MessageSpec = message('NodeProto', [
  { no: 1, key: 'input', kind: 'string', repeated: true },
  { no: 2, key: 'output', kind: 'string', repeated: true },
  { no: 3, key: 'name', kind: 'string' },
  { no: 4, key: 'opType', kind: 'string' },
  { no: 5, key: 'attribute', kind: () => AttributeSpec, repeated: true },
  { no: 6, key: 'docString', kind: 'string' },
  { no: 7, key: 'domain', kind: 'string' },
  { no: 8, key: 'overload', kind: 'string' },
  { no: 9, key: 'metadataProps', kind: () => StringStringEntrySpec, repeated: true },
]);

export const TensorAnnotationSpec = message('TensorAnnotation', [
  { no: 1, key: 'tensorName', kind: 'string' },
  { no: 2, key: 'quantParameterTensorNames', kind: () => StringStringEntrySpec, repeated: true },
]);

export const GraphSpec: MessageSpec = message('GraphProto', [
  { no: 1, key: 'node', kind: () => NodeSpec, repeated: true },
  { no: 2, key: 'name', kind: 'string' },
  { no: 5, key: 'initializer', kind: () => TensorSpec, repeated: true },
  { no: 10, key: 'docString', kind: 'string' },
  { no: 11, key: 'input', kind: () => ValueInfoSpec, repeated: true },
  { no: 12, key: 'output', kind: () => ValueInfoSpec, repeated: true },
  { no: 13, key: 'valueInfo', kind: () => ValueInfoSpec, repeated: true },
  { no: 14, key: 'quantizationAnnotation', kind: () => TensorAnnotationSpec, repeated: true },
  { no: 16, key: 'metadataProps', kind: () => StringStringEntrySpec, repeated: true },
]);

export const ModelSpec = message('ModelProto', [
  { no: 1, key: 'irVersion', kind: 'int64' },
  { no: 2, key: 'producerName', kind: 'string' },
  { no: 3, key: 'producerVersion', kind: 'string' },
  { no: 4, key: 'domain', kind: 'string' },
  { no: 5, key: 'modelVersion', kind: 'int64' },
  { no: 6, key: 'docString', kind: 'string' },
  { no: 7, key: 'graph', kind: () => GraphSpec },
  { no: 8, key: 'opsetImport', kind: () => OperatorSetIdSpec, repeated: true },
  { no: 14, key: 'metadataProps', kind: () => StringStringEntrySpec, repeated: true },
]);
