import { Footer } from 'apache-arrow/fb/footer';
import { Message } from 'apache-arrow/fb/message';
import { MessageHeader } from 'apache-arrow/fb/message-header';
import { RecordBatch } from 'apache-arrow/fb/record-batch';
import { DictionaryBatch } from 'apache-arrow/fb/dictionary-batch';
import { Schema } from 'apache-arrow/fb/schema';
import { Type } from 'apache-arrow/fb/type';
import type { Field } from 'apache-arrow/fb/field';
import { ByteBuffer } from 'flatbuffers';
import { DecodeFailure, UnsupportedInput } from './decode-failure.ts';

/*
 * apache-arrow decodes IPC metadata trusting every length in it: one damaged byte in a schema can
 * claim a field with 1.6 billion children, and decoding it exhausts the heap (seen while fuzzing the
 * reader). This walks the same metadata first with the generated flatbuffer accessors, checking that
 * every vector fits in the bytes that hold it and every buffer lies in its message body, and throws a
 * plain Error naming what is implausible. It does not decode any data.
 */

const CONTINUATION = -1;
const OFFSET_BYTES = 4; // a vector of tables or strings holds one 4-byte offset per element
const STRUCT_BYTES = { block: 24, fieldNode: 16, buffer: 16, feature: 8, variadicCount: 8 } as const;
const MAX_FIELD_DEPTH = 16;
/** Types whose record batch buffers are [validity, values] or [validity, offsets, data]. */
const FIXED_WIDTH: ReadonlySet<Type> = new Set([
  Type.Int,
  Type.FloatingPoint,
  Type.Bool,
  Type.Date,
  Type.Time,
  Type.Timestamp,
  Type.Interval,
  Type.Decimal,
  Type.FixedSizeBinary,
  Type.Duration,
]);
const VARIABLE_WIDTH: ReadonlySet<Type> = new Set([Type.Utf8, Type.Binary, Type.LargeUtf8, Type.LargeBinary]);

/** What the checks carry from the schema to the batches after it. */
interface Layout {
  readonly maxRows: number;
  /** Field node index of each top-level field, once a schema has been seen. */
  topLevelNodes?: readonly number[];
  /** Field nodes a record batch of this schema has. */
  nodeCount?: number;
  /** Buffer index of each top-level field's validity bitmap, when every field's layout is a flat one. */
  validityBuffers?: readonly number[] | undefined;
}

export function checkArrowIpc(bytes: Uint8Array, isFile: boolean, maxRows: number): void {
  const layout: Layout = { maxRows };
  if (isFile) checkFile(bytes, layout);
  else checkStream(bytes, 0, layout);
}

function checkStream(bytes: Uint8Array, start: number, layout: Layout): void {
  let pos = start;
  while (pos + 4 <= bytes.length) {
    const next = checkMessageAt(bytes, pos, layout);
    if (next === undefined) return;
    pos = next;
  }
}

function checkFile(bytes: Uint8Array, layout: Layout): void {
  const view = viewOf(bytes);
  // "ARROW1" + 2 bytes of padding, messages, footer, int32 footer length, "ARROW1".
  const footerEnd = bytes.length - 10;
  const footerLength = footerEnd >= 8 ? view.getInt32(footerEnd, true) : -1;
  if (!(footerLength > 0 && footerLength <= footerEnd - 8))
    throw new DecodeFailure('Arrow file footer length is implausible');
  const footerBytes = bytes.subarray(footerEnd - footerLength, footerEnd);
  const footer = Footer.getRootAsFooter(new ByteBuffer(footerBytes));
  const schema = footer.schema();
  if (schema === null) throw new DecodeFailure('Arrow file footer has no schema');
  checkSchema(schema, footerBytes.length, layout);
  for (const [count, get] of [
    [footer.dictionariesLength(), (i: number) => footer.dictionaries(i)],
    [footer.recordBatchesLength(), (i: number) => footer.recordBatches(i)],
  ] as const) {
    checkVector(count, STRUCT_BYTES.block, footerBytes.length, 'footer blocks');
    for (let i = 0; i < count; i++) {
      const block = get(i);
      if (block === null) throw new DecodeFailure('Arrow file footer block is missing');
      const offset = Number(block.offset());
      const end = offset + block.metaDataLength() + Number(block.bodyLength());
      if (!(offset >= 8 && end <= footerEnd - footerLength))
        throw new DecodeFailure('Arrow file block lies outside the file');
      checkMessageAt(bytes, offset, layout);
    }
  }
}

/** Checks the message framed at `pos`; returns where the next one starts, or undefined at end of stream. */
function checkMessageAt(bytes: Uint8Array, pos: number, layout: Layout): number | undefined {
  const view = viewOf(bytes);
  let metaStart = pos + 4;
  let metaLength = view.getInt32(pos, true);
  if (metaLength === CONTINUATION) {
    if (pos + 8 > bytes.length) throw new DecodeFailure('Arrow message is cut short');
    metaLength = view.getInt32(pos + 4, true);
    metaStart = pos + 8;
  }
  if (metaLength === 0) return undefined;
  if (!(metaLength > 0 && metaStart + metaLength <= bytes.length))
    throw new DecodeFailure('Arrow message length is implausible');
  const meta = bytes.subarray(metaStart, metaStart + metaLength);
  const message = Message.getRootAsMessage(new ByteBuffer(meta));
  const bodyLength = Number(message.bodyLength());
  const bodyEnd = metaStart + metaLength + bodyLength;
  if (!(bodyLength >= 0 && bodyEnd <= bytes.length))
    throw new DecodeFailure('Arrow message body runs past the input');
  checkVector(message.customMetadataLength(), OFFSET_BYTES, meta.length, 'message metadata');

  const type: unknown = message.headerType();
  switch (type) {
    case MessageHeader.Schema:
      checkSchema(message.header(new Schema()) as Schema | null, meta.length, layout);
      break;
    case MessageHeader.RecordBatch:
      checkBatch(
        message.header(new RecordBatch()) as RecordBatch | null,
        meta.length,
        bodyLength,
        layout,
        true,
      );
      checkValidity(
        message.header(new RecordBatch()) as RecordBatch,
        bytes.subarray(metaStart + metaLength, bodyEnd),
        layout,
      );
      break;
    case MessageHeader.DictionaryBatch: {
      const dictionary = message.header(new DictionaryBatch()) as DictionaryBatch | null;
      checkBatch(dictionary?.data() ?? null, meta.length, bodyLength, layout, false);
      break;
    }
    default:
      throw new DecodeFailure(
        `Arrow message header type ${typeof type === 'number' ? type : '(none)'} is not a schema or record batch`,
      );
  }
  return bodyEnd;
}

function checkSchema(schema: Schema | null, size: number, layout: Layout): void {
  if (schema === null) throw new DecodeFailure('Arrow schema message has no schema');
  checkVector(schema.fieldsLength(), OFFSET_BYTES, size, 'schema fields');
  checkVector(schema.customMetadataLength(), OFFSET_BYTES, size, 'schema metadata');
  checkVector(schema.featuresLength(), STRUCT_BYTES.feature, size, 'schema features');
  const topLevelNodes: number[] = [];
  let validityBuffers: number[] | undefined = [];
  let nodes = 0;
  let buffers = 0;
  for (let i = 0; i < schema.fieldsLength(); i++) {
    topLevelNodes.push(nodes);
    const field = schema.fields(i);
    nodes += checkField(field, size, 0);
    const count = flatBufferCount(field!);
    if (count === undefined) validityBuffers = undefined;
    validityBuffers?.push(buffers);
    buffers += count ?? 0;
  }
  layout.topLevelNodes = topLevelNodes;
  layout.nodeCount = nodes;
  layout.validityBuffers = validityBuffers;
}

/** How many buffers a childless field has in a record batch; undefined for other layouts. */
function flatBufferCount(field: Field): number | undefined {
  if (field.childrenLength() > 0) return undefined;
  if (field.dictionary() !== null) return 2; // validity, indices
  const type = field.typeType();
  if (FIXED_WIDTH.has(type)) return 2;
  if (VARIABLE_WIDTH.has(type)) return 3;
  return undefined;
}

/** Checks a field and its children; returns how many field nodes a batch holds for it (pre-order). */
function checkField(field: Field | null, size: number, depth: number): number {
  if (field === null) throw new DecodeFailure('Arrow schema field is missing');
  if (depth > MAX_FIELD_DEPTH) throw new DecodeFailure('Arrow schema nests too deep');
  checkVector(field.childrenLength(), OFFSET_BYTES, size, 'field children');
  checkVector(field.customMetadataLength(), OFFSET_BYTES, size, 'field metadata');
  let nodes = 1;
  for (let i = 0; i < field.childrenLength(); i++) nodes += checkField(field.children(i), size, depth + 1);
  return nodes;
}

function checkBatch(
  batch: RecordBatch | null,
  size: number,
  bodyLength: number,
  layout: Layout,
  ofSchema: boolean,
): void {
  const { maxRows } = layout;
  if (batch === null) throw new DecodeFailure('Arrow record batch message has no batch');
  // apache-arrow decompresses with codecs registered by the application; we register none.
  if (batch.compression() !== null) throw new UnsupportedInput('Arrow record batch is compressed');
  const rows = Number(batch.length());
  if (!(rows >= 0 && rows <= maxRows)) throw new DecodeFailure(`Arrow record batch claims ${rows} rows`);
  checkVector(batch.nodesLength(), STRUCT_BYTES.fieldNode, size, 'batch nodes');
  checkVector(batch.buffersLength(), STRUCT_BYTES.buffer, size, 'batch buffers');
  checkVector(batch.variadicBufferCountsLength(), STRUCT_BYTES.variadicCount, size, 'batch variadic counts');
  for (let i = 0; i < batch.nodesLength(); i++) {
    const node = batch.nodes(i);
    const length = Number(node?.length() ?? -1);
    const nulls = Number(node?.nullCount() ?? -1);
    if (!(length >= 0 && length <= maxRows && nulls >= 0 && nulls <= length)) {
      throw new DecodeFailure('Arrow record batch node has an implausible length');
    }
  }
  // apache-arrow pads a column shorter than its batch with nulls: a lie there would read as missing data.
  if (ofSchema && layout.topLevelNodes !== undefined) {
    if (batch.nodesLength() !== layout.nodeCount)
      throw new DecodeFailure(
        `Arrow record batch has ${batch.nodesLength()} field nodes, its schema ${layout.nodeCount}`,
      );
    for (const index of layout.topLevelNodes) {
      if (Number(batch.nodes(index)!.length()) !== rows)
        throw new DecodeFailure('Arrow record batch column length disagrees with the batch');
    }
  }
  const extents: [number, number][] = [];
  for (let i = 0; i < batch.buffersLength(); i++) {
    const buffer = batch.buffers(i);
    const offset = Number(buffer?.offset() ?? -1);
    const length = Number(buffer?.length() ?? -1);
    if (!(offset >= 0 && length >= 0 && offset + length <= bodyLength)) {
      throw new DecodeFailure('Arrow record batch buffer lies outside its body');
    }
    if (length > 0) extents.push([offset, offset + length]);
  }
  // Writers lay buffers out one after another; overlapping ones would read one column's bytes as another's.
  extents.sort((a, b) => a[0] - b[0]);
  for (let i = 1; i < extents.length; i++) {
    if (extents[i]![0] < extents[i - 1]![1]) throw new DecodeFailure('Arrow record batch buffers overlap');
  }
}

/**
 * A null count must agree with its validity bitmap. apache-arrow drops the bitmap of a column whose
 * node says it has no nulls, so a lying count of 0 would turn nulls into numbers; this reads the
 * bitmaps of flat columns from the body and counts.
 */
function checkValidity(batch: RecordBatch, body: Uint8Array, layout: Layout): void {
  const { validityBuffers, topLevelNodes } = layout;
  if (validityBuffers === undefined || topLevelNodes === undefined) return;
  const rows = Number(batch.length());
  validityBuffers.forEach((bufferIndex, i) => {
    const node = batch.nodes(topLevelNodes[i]!)!;
    const buffer = batch.buffers(bufferIndex)!;
    const nullCount = Number(node.nullCount());
    const length = Number(buffer.length());
    if (length === 0) {
      if (nullCount > 0) throw new DecodeFailure('Arrow column has nulls but no validity bitmap');
      return;
    }
    if (length * 8 < rows) throw new DecodeFailure('Arrow column has a short validity bitmap');
    const bitmap = body.subarray(Number(buffer.offset()), Number(buffer.offset()) + length);
    let nulls = 0;
    for (let bit = 0; bit < rows; bit++) if (((bitmap[bit >> 3]! >> (bit & 7)) & 1) === 0) nulls++;
    if (nulls !== nullCount)
      throw new DecodeFailure(`Arrow column claims ${nullCount} nulls, its validity bitmap ${nulls}`);
  });
}

function checkVector(count: number, elementBytes: number, size: number, what: string): void {
  if (!(count >= 0 && count * elementBytes <= size))
    throw new DecodeFailure(`Arrow ${what}: ${count} entries cannot fit`);
}

function viewOf(bytes: Uint8Array): DataView {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}
