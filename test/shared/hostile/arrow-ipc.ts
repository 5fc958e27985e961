import {
  Dictionary,
  Float32,
  Float64,
  Int16,
  Int32,
  Int64,
  RecordBatchFileWriter,
  RecordBatchStreamWriter,
  Table,
  Utf8,
  vectorFromArray,
  type DataType,
  type Vector,
} from 'apache-arrow';
import { compressionRegistry } from 'apache-arrow/ipc/compression/registry';
import { CompressionType } from 'apache-arrow/fb/compression-type';
import { DictionaryBatch } from 'apache-arrow/fb/dictionary-batch';
import { Footer } from 'apache-arrow/fb/footer';
import { Message } from 'apache-arrow/fb/message';
import { MessageHeader } from 'apache-arrow/fb/message-header';
import { RecordBatch } from 'apache-arrow/fb/record-batch';
import { ByteBuffer } from 'flatbuffers';
import type { LandmarkTable } from './landmark-parquet.ts';
import type { Region } from './parquet-builder.ts';

/*
 * Arrow IPC clips (stream and file format) from a landmark table, and a map of their structure: the
 * framing, each message's flatbuffer metadata and body, and the byte position of every length a
 * reader trusts (message body lengths, record batch and node lengths, buffer offsets and lengths,
 * footer blocks), so a test can make each one lie in place.
 */

export interface ArrowLayout {
  readonly name: string;
  readonly format: 'stream' | 'file';
  readonly typeColumn: 'utf8' | 'dictionary';
  readonly integer: 'int16' | 'int64';
  readonly float: 'float32' | 'float64';
  readonly compressed?: boolean;
}

export const ARROW_LAYOUTS: readonly ArrowLayout[] = [
  { name: 'arrow-stream', format: 'stream', typeColumn: 'utf8', integer: 'int16', float: 'float64' },
  {
    name: 'arrow-file-dictionary',
    format: 'file',
    typeColumn: 'dictionary',
    integer: 'int64',
    float: 'float32',
  },
];

/** A length field inside the IPC bytes: where it is, and how wide (a flatbuffer int32 or int64). */
export interface LengthField {
  readonly label: string;
  readonly at: number;
  readonly width: 4 | 8;
}

export interface IpcStructure {
  readonly regions: readonly Region[];
  readonly lengths: readonly LengthField[];
}

/** Marks bodies compressed: an LZ4 frame header in front of the raw bytes (no reader ever gets past it). */
const FAKE_LZ4_CODEC = {
  encode: (data: Uint8Array) => {
    const out = new Uint8Array(7 + data.length);
    out.set([0x04, 0x22, 0x4d, 0x18, 0x40, 0x40, 0x00]);
    out.set(data, 7);
    return out;
  },
};

export function landmarkArrow(table: LandmarkTable, layout: ArrowLayout): Uint8Array {
  const integer: DataType = layout.integer === 'int64' ? new Int64() : new Int16();
  const float: DataType = layout.float === 'float32' ? new Float32() : new Float64();
  const ints = (values: readonly (number | bigint)[]): unknown[] =>
    layout.integer === 'int64' ? values.map((v) => BigInt(v)) : values.map(Number);
  const columns: Record<string, Vector> = {
    frame: vectorFromArray(ints(table.frame), integer),
    type: vectorFromArray(
      table.type.map((t) => (typeof t === 'string' ? t : new TextDecoder().decode(t))),
      layout.typeColumn === 'dictionary' ? new Dictionary(new Utf8(), new Int32()) : new Utf8(),
    ),
    landmark_index: vectorFromArray(ints(table.landmarkIndex), integer),
    x: vectorFromArray(table.x, float),
    y: vectorFromArray(table.y, float),
    z: vectorFromArray(table.z, float),
  };
  const arrow = new Table(columns);
  if (layout.compressed === true) {
    // The writer only compresses with a registered codec.
    compressionRegistry.set(CompressionType.LZ4_FRAME, FAKE_LZ4_CODEC);
  }
  const options = layout.compressed === true ? { compressionType: CompressionType.LZ4_FRAME } : {};
  const writer =
    layout.format === 'file'
      ? RecordBatchFileWriter.writeAll(arrow, options)
      : RecordBatchStreamWriter.writeAll(arrow, options);
  return writer.toUint8Array(true);
}

function messageAt(
  bytes: Uint8Array,
  pos: number,
  label: string,
  out: { regions: Region[]; lengths: LengthField[] },
): number | undefined {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (pos + 8 > bytes.length) return undefined;
  const metaLength = view.getInt32(pos + 4, true);
  if (metaLength === 0) {
    out.regions.push({ label: `${label} end of stream`, start: pos, end: pos + 8 });
    return undefined;
  }
  out.regions.push({ label: `${label} framing`, start: pos, end: pos + 8 });
  out.lengths.push({ label: `${label} metadata length`, at: pos + 4, width: 4 });
  const metaStart = pos + 8;
  const message = Message.getRootAsMessage(new ByteBuffer(bytes.subarray(metaStart, metaStart + metaLength)));
  out.regions.push({ label: `${label} metadata`, start: metaStart, end: metaStart + metaLength });
  const bodyLength = Number(message.bodyLength());
  const fieldAt = (table: { bb: ByteBuffer | null; bb_pos: number }, slot: number): number | undefined => {
    const offset = table.bb!.__offset(table.bb_pos, slot);
    return offset === 0 ? undefined : metaStart + table.bb_pos + offset;
  };
  const bodyField = fieldAt(message, 10);
  if (bodyField !== undefined) out.lengths.push({ label: `${label} body length`, at: bodyField, width: 8 });
  let batch: RecordBatch | null = null;
  if (message.headerType() === MessageHeader.RecordBatch)
    batch = message.header(new RecordBatch()) as RecordBatch;
  if (message.headerType() === MessageHeader.DictionaryBatch) {
    const dictionary = message.header(new DictionaryBatch()) as DictionaryBatch;
    const id = fieldAt(dictionary, 4);
    if (id !== undefined) out.lengths.push({ label: `${label} dictionary id`, at: id, width: 8 });
    batch = dictionary.data();
  }
  if (batch !== null) {
    const length = fieldAt(batch, 4);
    if (length !== undefined) out.lengths.push({ label: `${label} batch length`, at: length, width: 8 });
    for (let i = 0; i < batch.nodesLength(); i++) {
      const node = batch.nodes(i)!;
      out.lengths.push({ label: `${label} node ${i} length`, at: metaStart + node.bb_pos, width: 8 });
      out.lengths.push({ label: `${label} node ${i} null count`, at: metaStart + node.bb_pos + 8, width: 8 });
    }
    for (let i = 0; i < batch.buffersLength(); i++) {
      const buffer = batch.buffers(i)!;
      out.lengths.push({ label: `${label} buffer ${i} offset`, at: metaStart + buffer.bb_pos, width: 8 });
      out.lengths.push({ label: `${label} buffer ${i} length`, at: metaStart + buffer.bb_pos + 8, width: 8 });
    }
  }
  const bodyStart = metaStart + metaLength;
  if (bodyLength > 0)
    out.regions.push({ label: `${label} body`, start: bodyStart, end: bodyStart + bodyLength });
  return bodyStart + bodyLength;
}

export function ipcStructure(bytes: Uint8Array, format: 'stream' | 'file'): IpcStructure {
  const out = { regions: [] as Region[], lengths: [] as LengthField[] };
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let pos = 0;
  let end = bytes.length;
  if (format === 'file') {
    out.regions.push({ label: 'magic', start: 0, end: 8 });
    pos = 8;
    const footerLength = view.getInt32(bytes.length - 10, true);
    const footerStart = bytes.length - 10 - footerLength;
    out.regions.push({ label: 'footer', start: footerStart, end: bytes.length - 10 });
    out.regions.push({ label: 'footer length', start: bytes.length - 10, end: bytes.length - 6 });
    out.regions.push({ label: 'magic', start: bytes.length - 6, end: bytes.length });
    out.lengths.push({ label: 'footer length', at: bytes.length - 10, width: 4 });
    const footer = Footer.getRootAsFooter(new ByteBuffer(bytes.subarray(footerStart, bytes.length - 10)));
    for (const [kind, count, get] of [
      ['dictionary block', footer.dictionariesLength(), (i: number) => footer.dictionaries(i)],
      ['record batch block', footer.recordBatchesLength(), (i: number) => footer.recordBatches(i)],
    ] as const) {
      for (let i = 0; i < count; i++) {
        const block = get(i)!;
        out.lengths.push({ label: `${kind} ${i} offset`, at: footerStart + block.bb_pos, width: 8 });
        out.lengths.push({
          label: `${kind} ${i} metadata length`,
          at: footerStart + block.bb_pos + 8,
          width: 4,
        });
        out.lengths.push({
          label: `${kind} ${i} body length`,
          at: footerStart + block.bb_pos + 16,
          width: 8,
        });
      }
    }
    end = footerStart;
  }
  for (let m = 0; pos !== undefined && pos < end; m++) {
    const next: number | undefined = messageAt(bytes, pos, `message ${m}`, out);
    if (next === undefined) break;
    pos = next;
  }
  return out;
}

/** A copy of `bytes` with the field set to `value` (two's complement for negatives). */
export function withLength(bytes: Uint8Array, field: LengthField, value: bigint): Uint8Array {
  const copy = bytes.slice();
  const view = new DataView(copy.buffer);
  if (field.width === 4) view.setInt32(field.at, Number(BigInt.asIntN(32, value)), true);
  else view.setBigInt64(field.at, BigInt.asIntN(64, value), true);
  return copy;
}

export function readLength(bytes: Uint8Array, field: LengthField): bigint {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return field.width === 4 ? BigInt(view.getInt32(field.at, true)) : view.getBigInt64(field.at, true);
}
