import type {
  ColumnMetaData,
  Compressors,
  DataReader,
  DecodedArray,
  Encoding,
  FileMetaData,
  PageHeader,
  SchemaElement,
} from 'hyparquet';
import { parquetHeader } from 'hyparquet/src/column.js';
import { decompressPage } from 'hyparquet/src/datapage.js';
import { deltaBinaryUnpack, deltaByteArray, deltaLengthByteArray } from 'hyparquet/src/delta.js';
import { byteStreamSplit } from 'hyparquet/src/encoding.js';
import { parquetMetadata } from 'hyparquet/src/metadata.js';
import { readPlain } from 'hyparquet/src/plain.js';
import { checkRowCount } from './assemble.ts';
import { LandmarkFileError } from './landmark-file-error.ts';
import {
  NUMERIC_COLUMNS,
  REQUIRED_COLUMNS,
  type LandmarkColumns,
  type RequiredColumn,
} from './landmark-columns.ts';
import type { ReadOptions } from './read-options.ts';
import { decodeRleHybrid } from './rle-hybrid.ts';
import { snappyDecompress } from './snappy.ts';
import { describeTypeValue, typeCodeOfBytes, UNKNOWN_TYPE_CODE } from './type-codes.ts';

/*
 * A lean decoder for the six flat landmark columns, built on hyparquet's footer, page-header and
 * plain/delta/byte-stream-split primitives. hyparquet's own column reader assembles every optional
 * column into a JS array of boxed values and nulls; this one scatters each page straight into a typed
 * array, so a whole read to the dense tensor takes ~40 % of the time hyparquet needs just to decode
 * the columns (`npm run bench:reader`). Snappy and the RLE/bit-packed levels are decoded here with
 * bounds checks (snappy.ts, rle-hybrid.ts): hyparquet's versions crawl for minutes on some damaged
 * pages. Anything this does not handle is a typed error, never a wrong value.
 */

const PAR1 = 0x31524150; // "PAR1" little-endian
const DECODABLE_CODECS: ReadonlySet<string> = new Set(['UNCOMPRESSED', 'SNAPPY']);
const DECOMPRESSORS: Compressors = { SNAPPY: snappyDecompress };
/**
 * No landmark column needs more than this per row (8-byte values, a level byte, short type strings);
 * a damaged page header claiming more must not make us allocate gigabytes before failing.
 */
const MAX_BYTES_PER_ROW = 64;

const ALLOWED_TYPES: Readonly<Record<RequiredColumn, readonly string[]>> = {
  frame: ['INT32', 'INT64'],
  landmark_index: ['INT32', 'INT64'],
  type: ['BYTE_ARRAY'],
  x: ['FLOAT', 'DOUBLE'],
  y: ['FLOAT', 'DOUBLE'],
  z: ['FLOAT', 'DOUBLE'],
};

interface LeafColumn {
  readonly chunkIndex: number;
  readonly element: SchemaElement;
  readonly optional: boolean;
}

/** Where one column chunk's decoded rows go: float64 with NaN for null, or type codes. */
type Sink =
  | { readonly kind: 'number'; readonly out: Float64Array }
  | { readonly kind: 'type'; readonly out: Uint8Array };

/** A dictionary page, already converted to what the sink stores. */
type Dictionary =
  | { readonly kind: 'number'; readonly values: Float64Array }
  | { readonly kind: 'type'; readonly codes: Uint8Array; readonly raw: readonly Uint8Array[] };

/** One data page's non-null values: dictionary indices or the values themselves. */
type PageValues = { readonly indices: Int32Array } | { readonly values: DecodedArray };

interface ChunkContext {
  readonly source: string;
  readonly name: RequiredColumn;
  readonly element: SchemaElement;
  readonly optional: boolean;
  readonly meta: ColumnMetaData;
}

export function decodeLandmarkColumns(
  bytes: Uint8Array,
  source: string,
  opts?: ReadOptions,
): LandmarkColumns {
  const metadata = readFooter(bytes, source);
  // A damaged footer can parse into any shape: whatever it trips over is reported as corrupt.
  try {
    return decodeColumns(bytes, metadata, source, opts);
  } catch (error) {
    throw asLandmarkError(error, source);
  }
}

function decodeColumns(
  bytes: Uint8Array,
  metadata: FileMetaData,
  source: string,
  opts: ReadOptions | undefined,
): LandmarkColumns {
  const leaves = findLeaves(metadata, source);
  const length = Number(metadata.num_rows);
  if (!(Number.isSafeInteger(length) && length >= 0))
    throw corrupt(source, `the footer claims ${length} rows`);
  checkRowCount(length, source, opts);

  const numbers = new Map<RequiredColumn, Float64Array>();
  for (const name of NUMERIC_COLUMNS) numbers.set(name, new Float64Array(length));
  const typeCode = new Uint8Array(length);

  let rowStart = 0;
  for (const group of metadata.row_groups) {
    const groupRows = Number(group.num_rows);
    if (!(Number.isSafeInteger(groupRows) && groupRows >= 0 && rowStart + groupRows <= length)) {
      throw corrupt(source, 'row groups hold more rows than the footer says');
    }
    for (const name of REQUIRED_COLUMNS) {
      const leaf = leaves.get(name)!;
      const chunk = group.columns[leaf.chunkIndex];
      if (chunk?.meta_data === undefined) throw corrupt(source, `column ${name} has no chunk metadata`);
      if (chunk.file_path !== undefined) {
        throw new LandmarkFileError('unsupported', source, `column ${name} lives in another file`);
      }
      const sink: Sink =
        name === 'type' ? { kind: 'type', out: typeCode } : { kind: 'number', out: numbers.get(name)! };
      const context = { source, name, element: leaf.element, optional: leaf.optional, meta: chunk.meta_data };
      decodeChunk(bytes, context, rowStart, groupRows, sink);
    }
    rowStart += groupRows;
  }
  if (rowStart !== length)
    throw corrupt(source, `row groups hold ${rowStart} rows, the footer says ${length}`);

  return {
    length,
    frame: numbers.get('frame')!,
    typeCode,
    landmarkIndex: numbers.get('landmark_index')!,
    x: numbers.get('x')!,
    y: numbers.get('y')!,
    z: numbers.get('z')!,
  };
}

function readFooter(bytes: Uint8Array, source: string): FileMetaData {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.byteLength < 4 || view.getUint32(0, true) !== PAR1) {
    throw new LandmarkFileError('not_parquet', source, 'does not start with the parquet magic "PAR1"');
  }
  if (bytes.byteLength < 12 || view.getUint32(bytes.byteLength - 4, true) !== PAR1) {
    throw corrupt(source, 'no parquet footer (truncated file?)');
  }
  try {
    return parquetMetadata(bytes);
  } catch (error) {
    throw corrupt(source, `unreadable footer: ${messageOf(error)}`, error);
  }
}

/** Maps each required column to its leaf; the schema list is depth-first, so leaves come in chunk order. */
function findLeaves(metadata: FileMetaData, source: string): Map<RequiredColumn, LeafColumn> {
  const leaves = new Map<RequiredColumn, LeafColumn>();
  const nested = new Set<string>();
  const schema = metadata.schema;
  let chunkIndex = 0;
  // Children still expected at each open group; the root is schema[0].
  const open: number[] = [schema[0]?.num_children ?? 0];
  for (let i = 1; i < schema.length; i++) {
    const element = schema[i]!;
    const depth = open.length;
    open[depth - 1]!--;
    const isGroup = (element.num_children ?? 0) > 0;
    if (depth === 1 && (isGroup || element.repetition_type === 'REPEATED')) nested.add(element.name);
    if (isGroup) {
      open.push(element.num_children!);
    } else {
      if (depth === 1 && !nested.has(element.name) && isRequiredColumn(element.name)) {
        leaves.set(element.name, { chunkIndex, element, optional: element.repetition_type === 'OPTIONAL' });
      }
      chunkIndex++;
    }
    while (open.length > 1 && open[open.length - 1] === 0) open.pop();
  }

  for (const name of REQUIRED_COLUMNS) {
    if (nested.has(name)) {
      throw new LandmarkFileError(
        'bad_column_type',
        source,
        `column ${name} is nested, expected a flat column`,
      );
    }
    const leaf = leaves.get(name);
    if (leaf === undefined) throw new LandmarkFileError('missing_column', source, `no column named ${name}`);
    const type = leaf.element.type ?? 'none';
    if (!ALLOWED_TYPES[name].includes(type)) {
      throw new LandmarkFileError(
        'bad_column_type',
        source,
        `column ${name} is ${type}, expected ${ALLOWED_TYPES[name].join(' or ')}`,
      );
    }
  }
  return leaves;
}

function isRequiredColumn(name: string): name is RequiredColumn {
  return (REQUIRED_COLUMNS as readonly string[]).includes(name);
}

function decodeChunk(bytes: Uint8Array, ctx: ChunkContext, rowStart: number, rows: number, sink: Sink): void {
  const { meta, name, source } = ctx;
  if (!DECODABLE_CODECS.has(meta.codec)) {
    throw new LandmarkFileError('unsupported', source, `column ${name} uses the ${meta.codec} codec`);
  }
  if (meta.type !== ctx.element.type)
    throw corrupt(source, `column ${name} chunk type disagrees with the schema`);
  const dictionaryOffset = Number(meta.dictionary_page_offset ?? 0);
  const dataOffset = Number(meta.data_page_offset);
  const start = dictionaryOffset > 0 && dictionaryOffset < dataOffset ? dictionaryOffset : dataOffset;
  const end = start + Number(meta.total_compressed_size);
  if (!(start >= 4 && end <= bytes.byteLength - 8)) {
    throw corrupt(source, `column ${name} chunk lies outside the file (truncated file?)`);
  }
  const reader: DataReader = {
    view: new DataView(bytes.buffer, bytes.byteOffset + start, end - start),
    offset: 0,
  };

  let dictionary: Dictionary | undefined;
  let done = 0;
  while (done < rows) {
    if (reader.offset >= reader.view.byteLength) {
      throw corrupt(source, `column ${name} ends after ${done} of ${rows} rows`);
    }
    const header = parquetHeader(reader);
    const size = header.compressed_page_size;
    if (!(size >= 0 && reader.offset + size <= reader.view.byteLength)) {
      throw corrupt(source, `column ${name} page runs past its chunk`);
    }
    const unpacked = header.uncompressed_page_size;
    if (!(unpacked >= 0 && unpacked <= rows * MAX_BYTES_PER_ROW + 1024)) {
      throw corrupt(source, `column ${name} page claims ${unpacked} bytes for ${rows} rows`);
    }
    const page = new Uint8Array(reader.view.buffer, reader.view.byteOffset + reader.offset, size);
    reader.offset += size;
    if (header.type === 'DICTIONARY_PAGE') {
      dictionary = readDictionary(page, header, ctx);
    } else if (header.type === 'DATA_PAGE' || header.type === 'DATA_PAGE_V2') {
      done += decodeDataPage(page, header, ctx, dictionary, rowStart + done, rows - done, sink);
    }
    // Index pages carry nothing we need.
  }
}

function readDictionary(page: Uint8Array, header: PageHeader, ctx: ChunkContext): Dictionary {
  const count = header.dictionary_page_header?.num_values ?? 0;
  const plain = decompressPage(page, header.uncompressed_page_size, ctx.meta.codec, DECOMPRESSORS);
  if (!(Number.isSafeInteger(count) && count >= 0 && count <= plain.byteLength)) {
    throw corrupt(
      ctx.source,
      `column ${ctx.name} dictionary claims ${count} values in ${plain.byteLength} bytes`,
    );
  }
  const values = readPlain(readerOf(plain), ctx.meta.type, count, ctx.element.type_length);
  if (ctx.name !== 'type') return { kind: 'number', values: toFloat64(values) };
  const raw = values as Uint8Array[];
  const codes = new Uint8Array(raw.length);
  for (let i = 0; i < raw.length; i++) codes[i] = typeCodeOfBytes(raw[i]!);
  return { kind: 'type', codes, raw };
}

/** Decodes one data page (v1 or v2) into the sink at `row`; returns how many rows it held. */
function decodeDataPage(
  page: Uint8Array,
  header: PageHeader,
  ctx: ChunkContext,
  dictionary: Dictionary | undefined,
  row: number,
  rowsLeft: number,
  sink: Sink,
): number {
  const { meta, source, name } = ctx;
  let encoding: Encoding;
  let defined: Uint8Array | undefined;
  let valuesBytes: Uint8Array;

  const v2 = header.type === 'DATA_PAGE_V2' ? header.data_page_header_v2 : undefined;
  const v1 = header.type === 'DATA_PAGE' ? header.data_page_header : undefined;
  const count = v2?.num_values ?? v1?.num_values ?? -1;
  if (!(Number.isSafeInteger(count) && count >= 0 && count <= rowsLeft)) {
    throw corrupt(source, `column ${name} has a data page of ${count} values with ${rowsLeft} rows left`);
  }

  if (v2 !== undefined) {
    encoding = v2.encoding;
    const levelsLength = v2.repetition_levels_byte_length + v2.definition_levels_byte_length;
    if (v2.repetition_levels_byte_length !== 0) throw corrupt(source, `column ${name} has repetition levels`);
    if (ctx.optional) {
      defined = new Uint8Array(count);
      decodeRleHybrid(page, 0, levelsLength, 1, defined);
    }
    valuesBytes = page.subarray(levelsLength);
    if (v2.is_compressed !== false) {
      valuesBytes = decompressPage(
        valuesBytes,
        header.uncompressed_page_size - levelsLength,
        meta.codec,
        DECOMPRESSORS,
      );
    }
  } else {
    if (v1 === undefined) throw corrupt(source, `column ${name} data page has no header`);
    encoding = v1.encoding;
    valuesBytes = decompressPage(page, header.uncompressed_page_size, meta.codec, DECOMPRESSORS);
    if (ctx.optional) {
      defined = new Uint8Array(count);
      // v1 pages prefix the levels with their byte length.
      if (valuesBytes.length < 4) throw corrupt(source, `column ${name} data page is too short`);
      const levelsEnd = 4 + readerOf(valuesBytes).view.getUint32(0, true);
      decodeRleHybrid(valuesBytes, 4, levelsEnd, 1, defined);
      valuesBytes = valuesBytes.subarray(levelsEnd);
    }
  }

  let present = count;
  if (defined !== undefined) {
    present = 0;
    for (let i = 0; i < count; i++) present += defined[i]!;
  }
  const values = readValues(valuesBytes, encoding, present, ctx);
  if (sink.kind === 'number') scatterNumbers(values, dictionary, defined, count, present, row, sink.out, ctx);
  else scatterTypes(values, dictionary, defined, count, row, sink.out, ctx);
  return count;
}

function readValues(bytes: Uint8Array, encoding: Encoding, count: number, ctx: ChunkContext): PageValues {
  const reader = readerOf(bytes);
  const type = ctx.meta.type;
  switch (encoding) {
    case 'PLAIN':
      return { values: readPlain(reader, type, count, ctx.element.type_length) };
    case 'PLAIN_DICTIONARY':
    case 'RLE_DICTIONARY': {
      const indices = new Int32Array(count);
      if (count === 0) return { indices };
      // One byte of bit width, then the indices.
      decodeRleHybrid(bytes, 1, bytes.length, bytes[0]!, indices);
      return { indices };
    }
    case 'BYTE_STREAM_SPLIT':
      return { values: byteStreamSplit(reader, count, type, ctx.element.type_length) };
    case 'DELTA_BINARY_PACKED': {
      const values = type === 'INT32' ? new Int32Array(count) : new BigInt64Array(count);
      deltaBinaryUnpack(reader, count, values);
      return { values };
    }
    case 'DELTA_LENGTH_BYTE_ARRAY':
    case 'DELTA_BYTE_ARRAY': {
      const values: Uint8Array[] = new Array<Uint8Array>(count);
      if (encoding === 'DELTA_BYTE_ARRAY') deltaByteArray(reader, count, values);
      else deltaLengthByteArray(reader, count, values);
      return { values };
    }
    default:
      throw new LandmarkFileError(
        'unsupported',
        ctx.source,
        `column ${ctx.name} uses the ${encoding} encoding`,
      );
  }
}

function scatterNumbers(
  page: PageValues,
  dictionary: Dictionary | undefined,
  defined: Uint8Array | undefined,
  count: number,
  present: number,
  row: number,
  out: Float64Array,
  ctx: ChunkContext,
): void {
  let values: Float64Array;
  if ('indices' in page) {
    if (dictionary?.kind !== 'number') throw corrupt(ctx.source, `column ${ctx.name} lacks its dictionary`);
    const { indices } = page;
    const gathered = new Float64Array(indices.length);
    for (let i = 0; i < indices.length; i++) {
      const value = dictionary.values[indices[i]!];
      if (value === undefined)
        throw corrupt(ctx.source, `column ${ctx.name} has a dictionary index out of range`);
      gathered[i] = value;
    }
    values = gathered;
  } else {
    values = toFloat64(page.values);
  }
  if (values.length < present) throw corrupt(ctx.source, `column ${ctx.name} page is short of values`);
  if (defined === undefined) {
    out.set(values.length === count ? values : values.subarray(0, count), row);
    return;
  }
  let k = 0;
  for (let i = 0; i < count; i++) out[row + i] = defined[i] === 1 ? values[k++]! : NaN;
}

function scatterTypes(
  page: PageValues,
  dictionary: Dictionary | undefined,
  defined: Uint8Array | undefined,
  count: number,
  row: number,
  out: Uint8Array,
  ctx: ChunkContext,
): void {
  const { source } = ctx;
  let k = 0;
  for (let i = 0; i < count; i++) {
    if (defined !== undefined && defined[i] !== 1) {
      throw new LandmarkFileError('unknown_type', source, `type is null at row ${row + i}`);
    }
    let code: number;
    let raw: Uint8Array | undefined;
    if ('indices' in page) {
      if (dictionary?.kind !== 'type') throw corrupt(source, 'column type lacks its dictionary');
      const index = page.indices[k++]!;
      const dictionaryCode = dictionary.codes[index];
      if (dictionaryCode === undefined)
        throw corrupt(source, 'column type has a dictionary index out of range');
      code = dictionaryCode;
      raw = dictionary.raw[index];
    } else {
      raw = (page.values as Uint8Array[])[k++];
      if (raw === undefined) throw corrupt(source, 'column type page is short of values');
      code = typeCodeOfBytes(raw);
    }
    if (code === UNKNOWN_TYPE_CODE) {
      throw new LandmarkFileError(
        'unknown_type',
        source,
        `type ${describeTypeValue(raw ?? null)} at row ${row + i} is not a landmark type`,
      );
    }
    out[row + i] = code;
  }
}

function toFloat64(values: DecodedArray): Float64Array {
  if (values instanceof Float64Array) return values;
  if (values instanceof BigInt64Array) {
    const out = new Float64Array(values.length);
    for (let i = 0; i < values.length; i++) out[i] = Number(values[i]!);
    return out;
  }
  if (Array.isArray(values)) return Float64Array.from(values, Number);
  return Float64Array.from(values as ArrayLike<number>);
}

function readerOf(bytes: Uint8Array): DataReader {
  return { view: new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength), offset: 0 };
}

function corrupt(source: string, detail: string, cause?: unknown): LandmarkFileError {
  return new LandmarkFileError('corrupt', source, detail, cause === undefined ? undefined : { cause });
}

/** Decoder primitives throw plain Errors (or RangeErrors past the buffer) on damaged bytes. */
function asLandmarkError(error: unknown, source: string): LandmarkFileError {
  if (error instanceof LandmarkFileError) return error;
  return corrupt(source, `undecodable column data: ${messageOf(error)}`, error);
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
