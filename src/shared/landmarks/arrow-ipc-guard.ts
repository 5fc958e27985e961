import { Footer } from 'apache-arrow/fb/footer';
import { Message } from 'apache-arrow/fb/message';
import { MessageHeader } from 'apache-arrow/fb/message-header';
import { RecordBatch } from 'apache-arrow/fb/record-batch';
import { DictionaryBatch } from 'apache-arrow/fb/dictionary-batch';
import { Schema } from 'apache-arrow/fb/schema';
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

export function checkArrowIpc(bytes: Uint8Array, isFile: boolean, maxRows: number): void {
  if (isFile) checkFile(bytes, maxRows);
  else checkStream(bytes, 0, maxRows);
}

function checkStream(bytes: Uint8Array, start: number, maxRows: number): void {
  let pos = start;
  while (pos + 4 <= bytes.length) {
    const next = checkMessageAt(bytes, pos, maxRows);
    if (next === undefined) return;
    pos = next;
  }
}

function checkFile(bytes: Uint8Array, maxRows: number): void {
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
  checkSchema(schema, footerBytes.length);
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
      checkMessageAt(bytes, offset, maxRows);
    }
  }
}

/** Checks the message framed at `pos`; returns where the next one starts, or undefined at end of stream. */
function checkMessageAt(bytes: Uint8Array, pos: number, maxRows: number): number | undefined {
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

  switch (message.headerType()) {
    case MessageHeader.Schema:
      checkSchema(message.header(new Schema()) as Schema | null, meta.length);
      break;
    case MessageHeader.RecordBatch:
      checkBatch(message.header(new RecordBatch()) as RecordBatch | null, meta.length, bodyLength, maxRows);
      break;
    case MessageHeader.DictionaryBatch: {
      const dictionary = message.header(new DictionaryBatch()) as DictionaryBatch | null;
      checkBatch(dictionary?.data() ?? null, meta.length, bodyLength, maxRows);
      break;
    }
    default:
      throw new DecodeFailure(
        `Arrow message of type ${message.headerType()} is not a schema or record batch`,
      );
  }
  return bodyEnd;
}

function checkSchema(schema: Schema | null, size: number): void {
  if (schema === null) throw new DecodeFailure('Arrow schema message has no schema');
  checkVector(schema.fieldsLength(), OFFSET_BYTES, size, 'schema fields');
  checkVector(schema.customMetadataLength(), OFFSET_BYTES, size, 'schema metadata');
  checkVector(schema.featuresLength(), STRUCT_BYTES.feature, size, 'schema features');
  for (let i = 0; i < schema.fieldsLength(); i++) checkField(schema.fields(i), size, 0);
}

function checkField(field: Field | null, size: number, depth: number): void {
  if (field === null) throw new DecodeFailure('Arrow schema field is missing');
  if (depth > MAX_FIELD_DEPTH) throw new DecodeFailure('Arrow schema nests too deep');
  checkVector(field.childrenLength(), OFFSET_BYTES, size, 'field children');
  checkVector(field.customMetadataLength(), OFFSET_BYTES, size, 'field metadata');
  for (let i = 0; i < field.childrenLength(); i++) checkField(field.children(i), size, depth + 1);
}

function checkBatch(batch: RecordBatch | null, size: number, bodyLength: number, maxRows: number): void {
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
  for (let i = 0; i < batch.buffersLength(); i++) {
    const buffer = batch.buffers(i);
    const offset = Number(buffer?.offset() ?? -1);
    const length = Number(buffer?.length() ?? -1);
    if (!(offset >= 0 && length >= 0 && offset + length <= bodyLength)) {
      throw new DecodeFailure('Arrow record batch buffer lies outside its body');
    }
  }
}

function checkVector(count: number, elementBytes: number, size: number, what: string): void {
  if (!(count >= 0 && count * elementBytes <= size))
    throw new DecodeFailure(`Arrow ${what}: ${count} entries cannot fit`);
}

function viewOf(bytes: Uint8Array): DataView {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}
