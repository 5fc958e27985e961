/**
 * ONNX ModelProto <-> bytes, over protobufjs's wire-level Reader and Writer.
 *
 * Why not protobufjs reflection over onnx.proto, or the `onnx-proto` package: reflection hands int64s
 * back as Long objects and silently drops fields it does not know, and `onnx-proto` is a generated
 * module pinned to protobufjs 6 and an old IR version. The ONNX messages we touch are few, so a table of
 * field numbers (schema.ts) and the generic walker below give typed plain objects with bigint int64s,
 * and keep every unmodelled field byte for byte.
 */
import protobuf from 'protobufjs/minimal.js';
import type { FieldSpec, MessageSpec, ScalarKind } from './schema.ts';
import { ModelSpec } from './schema.ts';
import type { ModelProto, UnknownField } from './types.ts';

type Long = protobuf.Long;
type Plain = Record<string, unknown> & { unknownFields?: UnknownField[] };

const WIRE_VARINT = 0;
const WIRE_FIXED64 = 1;
const WIRE_DELIMITED = 2;
const WIRE_FIXED32 = 5;

function wireTypeOf(kind: ScalarKind): number {
  switch (kind) {
    case 'int64':
    case 'uint64':
    case 'int32':
      return WIRE_VARINT;
    case 'float':
      return WIRE_FIXED32;
    case 'double':
      return WIRE_FIXED64;
    case 'string':
    case 'bytes':
      return WIRE_DELIMITED;
  }
}

function longToBigInt(v: Long | number, unsigned: boolean): bigint {
  const raw = typeof v === 'number' ? BigInt(v) : (BigInt(v.high >>> 0) << 32n) | BigInt(v.low >>> 0);
  return unsigned ? BigInt.asUintN(64, raw) : BigInt.asIntN(64, raw);
}

function writeScalar(w: protobuf.Writer, kind: ScalarKind, value: unknown): void {
  switch (kind) {
    case 'string':
      w.string(value as string);
      return;
    case 'bytes':
      w.bytes(value as Uint8Array);
      return;
    case 'int64':
      w.int64(BigInt.asIntN(64, value as bigint).toString());
      return;
    case 'uint64':
      w.uint64(BigInt.asUintN(64, value as bigint).toString());
      return;
    case 'int32':
      w.int32(value as number);
      return;
    case 'float':
      w.float(value as number);
      return;
    case 'double':
      w.double(value as number);
      return;
  }
}

function readScalar(r: protobuf.Reader, kind: ScalarKind): unknown {
  switch (kind) {
    case 'string':
      return r.string();
    case 'bytes':
      return r.bytes();
    case 'int64':
      return longToBigInt(r.int64() as Long | number, false);
    case 'uint64':
      return longToBigInt(r.uint64() as Long | number, true);
    case 'int32':
      return r.int32();
    case 'float':
      return r.float();
    case 'double':
      return r.double();
  }
}

function writeUnknown(w: protobuf.Writer, field: UnknownField): void {
  w.uint32((field.fieldNumber << 3) | field.wireType);
  const v = field.value;
  switch (field.wireType) {
    case WIRE_VARINT:
      w.uint64((v as bigint).toString());
      return;
    case WIRE_DELIMITED:
      w.bytes(v as Uint8Array);
      return;
    case WIRE_FIXED32:
      w.fixed32(new DataView((v as Uint8Array).buffer, (v as Uint8Array).byteOffset, 4).getUint32(0, true));
      return;
    case WIRE_FIXED64: {
      const view = new DataView((v as Uint8Array).buffer, (v as Uint8Array).byteOffset, 8);
      w.fixed64(view.getBigUint64(0, true).toString());
      return;
    }
  }
}

function readUnknown(
  r: protobuf.Reader,
  fieldNumber: number,
  wireType: number,
  spec: MessageSpec,
): UnknownField {
  switch (wireType) {
    case WIRE_VARINT:
      return { fieldNumber, wireType, value: longToBigInt(r.uint64() as Long | number, true) };
    case WIRE_DELIMITED:
      return { fieldNumber, wireType, value: r.bytes() };
    case WIRE_FIXED32:
    case WIRE_FIXED64: {
      const start = r.pos;
      r.skipType(wireType);
      return { fieldNumber, wireType, value: r.buf.slice(start, r.pos) };
    }
    default:
      throw new Error(`${spec.name}: field ${fieldNumber} uses deprecated wire type ${wireType} (groups)`);
  }
}

function encodeMessage(w: protobuf.Writer, spec: MessageSpec, msg: Plain): void {
  const unknown = [...(msg.unknownFields ?? [])].sort((a, b) => a.fieldNumber - b.fieldNumber);
  let u = 0;
  for (const field of spec.fields) {
    while (u < unknown.length && unknown[u]!.fieldNumber < field.no) writeUnknown(w, unknown[u++]!);
    const value = msg[field.key];
    if (value === undefined) continue;
    if (field.repeated) encodeRepeated(w, field, value as unknown[]);
    else encodeOne(w, field, value);
  }
  while (u < unknown.length) writeUnknown(w, unknown[u++]!);
}

function encodeOne(w: protobuf.Writer, field: FieldSpec, value: unknown): void {
  if (typeof field.kind === 'function') {
    w.uint32((field.no << 3) | WIRE_DELIMITED).fork();
    encodeMessage(w, field.kind(), value as Plain);
    w.ldelim();
  } else {
    w.uint32((field.no << 3) | wireTypeOf(field.kind));
    writeScalar(w, field.kind, value);
  }
}

function encodeRepeated(w: protobuf.Writer, field: FieldSpec, values: unknown[]): void {
  if (field.packed && typeof field.kind === 'string') {
    if (values.length === 0) return;
    w.uint32((field.no << 3) | WIRE_DELIMITED).fork();
    for (const v of values) writeScalar(w, field.kind, v);
    w.ldelim();
    return;
  }
  for (const v of values) encodeOne(w, field, v);
}

function decodeMessage(r: protobuf.Reader, spec: MessageSpec, end: number): Plain {
  const msg: Plain = {};
  while (r.pos < end) {
    const tag = r.uint32();
    const no = tag >>> 3;
    const wireType = tag & 7;
    const field = spec.fields.find((f) => f.no === no);
    if (field === undefined) {
      (msg.unknownFields ??= []).push(readUnknown(r, no, wireType, spec));
      continue;
    }
    if (typeof field.kind === 'function') {
      const len = r.uint32();
      const sub = decodeMessage(r, field.kind(), r.pos + len);
      if (field.repeated) ((msg[field.key] ??= []) as unknown[]).push(sub);
      else msg[field.key] = sub;
      continue;
    }
    const kind = field.kind;
    if (field.repeated) {
      const list = (msg[field.key] ??= []) as unknown[];
      // Parsers must accept packed and unpacked encodings of repeated scalars alike.
      if (wireType === WIRE_DELIMITED && kind !== 'string' && kind !== 'bytes') {
        const stop = r.uint32() + r.pos;
        while (r.pos < stop) list.push(readScalar(r, kind));
      } else {
        list.push(readScalar(r, kind));
      }
      continue;
    }
    if (wireType !== wireTypeOf(kind)) {
      throw new Error(`${spec.name}.${field.key}: wire type ${wireType} where ${kind} was expected`);
    }
    msg[field.key] = readScalar(r, kind);
  }
  if (r.pos !== end) throw new Error(`${spec.name}: message overruns its length`);
  return msg;
}

/** Encode an ONNX model to protobuf bytes. */
export function encodeModel(model: ModelProto): Uint8Array {
  // The plain Writer (not BufferWriter) so the result is a plain Uint8Array on every runtime.
  const w = new protobuf.Writer();
  encodeMessage(w, ModelSpec, model as Plain);
  return w.finish();
}

/** Decode ONNX protobuf bytes to plain objects. Byte fields are views into `bytes` (copy if you keep them). */
export function decodeModel(bytes: Uint8Array): ModelProto {
  const view = new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const r = new protobuf.Reader(view);
  return decodeMessage(r, ModelSpec, view.length) as ModelProto;
}
