/**
 * ONNX protobuf messages as plain objects (field names in camelCase, as in the .proto).
 *
 * Every int64 field is a `bigint` so that decoding then re-encoding is lossless (exported models carry
 * sentinels like INT64_MAX in Slice attributes). Fields this codec does not model (sparse tensors,
 * training info, functions, device configurations, ...) are kept as raw wire bytes in `unknownFields`
 * and written back in field-number order, so nothing is dropped on a round trip.
 */

/**
 * A field the codec does not model, kept as its wire value: wire type 0 (varint) as an unsigned
 * bigint, 1 and 5 (fixed 64/32 bits) as their little-endian bytes, 2 (length-delimited) as the payload.
 */
export interface UnknownField {
  readonly fieldNumber: number;
  readonly wireType: 0 | 1 | 2 | 5;
  readonly value: bigint | Uint8Array;
}

interface HasUnknown {
  unknownFields?: UnknownField[];
}

/** TensorProto.DataType */
export const DataType = {
  UNDEFINED: 0,
  FLOAT: 1,
  UINT8: 2,
  INT8: 3,
  UINT16: 4,
  INT16: 5,
  INT32: 6,
  INT64: 7,
  STRING: 8,
  BOOL: 9,
  FLOAT16: 10,
  DOUBLE: 11,
  UINT32: 12,
  UINT64: 13,
  COMPLEX64: 14,
  COMPLEX128: 15,
  BFLOAT16: 16,
} as const;

/** AttributeProto.AttributeType */
export const AttributeType = {
  UNDEFINED: 0,
  FLOAT: 1,
  INT: 2,
  STRING: 3,
  TENSOR: 4,
  GRAPH: 5,
  FLOATS: 6,
  INTS: 7,
  STRINGS: 8,
  TENSORS: 9,
  GRAPHS: 10,
  SPARSE_TENSOR: 11,
  SPARSE_TENSORS: 12,
  TYPE_PROTO: 13,
  TYPE_PROTOS: 14,
} as const;

export interface StringStringEntryProto extends HasUnknown {
  key?: string;
  value?: string;
}

export interface OperatorSetIdProto extends HasUnknown {
  domain?: string;
  version?: bigint;
}

export interface TensorSegment extends HasUnknown {
  begin?: bigint;
  end?: bigint;
}

export interface TensorProto extends HasUnknown {
  dims?: bigint[];
  dataType?: number;
  segment?: TensorSegment;
  floatData?: number[];
  int32Data?: number[];
  stringData?: Uint8Array[];
  int64Data?: bigint[];
  name?: string;
  rawData?: Uint8Array;
  doubleData?: number[];
  uint64Data?: bigint[];
  docString?: string;
  externalData?: StringStringEntryProto[];
  dataLocation?: number;
  metadataProps?: StringStringEntryProto[];
}

export interface TensorShapeDimension extends HasUnknown {
  dimValue?: bigint;
  dimParam?: string;
  denotation?: string;
}

export interface TensorShapeProto extends HasUnknown {
  dim?: TensorShapeDimension[];
}

export interface TypeProtoTensor extends HasUnknown {
  elemType?: number;
  shape?: TensorShapeProto;
}

/** Only tensor types are modelled; sequence/map/optional/sparse types stay in `unknownFields`. */
export interface TypeProto extends HasUnknown {
  tensorType?: TypeProtoTensor;
  denotation?: string;
}

export interface ValueInfoProto extends HasUnknown {
  name?: string;
  type?: TypeProto;
  docString?: string;
  metadataProps?: StringStringEntryProto[];
}

export interface AttributeProto extends HasUnknown {
  name?: string;
  refAttrName?: string;
  docString?: string;
  type?: number;
  f?: number;
  i?: bigint;
  s?: Uint8Array;
  t?: TensorProto;
  g?: GraphProto;
  tp?: TypeProto;
  floats?: number[];
  ints?: bigint[];
  strings?: Uint8Array[];
  tensors?: TensorProto[];
  graphs?: GraphProto[];
  typeProtos?: TypeProto[];
}

export interface NodeProto extends HasUnknown {
  input?: string[];
  output?: string[];
  name?: string;
  opType?: string;
  domain?: string;
  overload?: string;
  attribute?: AttributeProto[];
  docString?: string;
  metadataProps?: StringStringEntryProto[];
}

export interface TensorAnnotation extends HasUnknown {
  tensorName?: string;
  quantParameterTensorNames?: StringStringEntryProto[];
}

export interface GraphProto extends HasUnknown {
  node?: NodeProto[];
  name?: string;
  initializer?: TensorProto[];
  docString?: string;
  input?: ValueInfoProto[];
  output?: ValueInfoProto[];
  valueInfo?: ValueInfoProto[];
  quantizationAnnotation?: TensorAnnotation[];
  metadataProps?: StringStringEntryProto[];
}

export interface ModelProto extends HasUnknown {
  irVersion?: bigint;
  opsetImport?: OperatorSetIdProto[];
  producerName?: string;
  producerVersion?: string;
  domain?: string;
  modelVersion?: bigint;
  docString?: string;
  graph?: GraphProto;
  metadataProps?: StringStringEntryProto[];
}
