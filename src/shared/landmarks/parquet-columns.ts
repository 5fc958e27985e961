import { checkBodySize, checkRowCount } from './assemble.ts';
import { asLandmarkError, DecodeFailure } from './decode-failure.ts';
import { LandmarkFileError } from './landmark-file-error.ts';
import {
  NUMERIC_COLUMNS,
  REQUIRED_COLUMNS,
  type LandmarkColumns,
  type RequiredColumn,
} from './landmark-columns.ts';
import {
  CODECS,
  ENCODINGS,
  encodingName,
  nameOf,
  PAGE_TYPES,
  PARQUET_TYPES,
  readPageHeader,
  readParquetFooter,
  REPETITION,
  type ColumnChunkMeta,
  type PageHeader,
  type SchemaElement,
} from './parquet-metadata.ts';
import {
  byteStreamSplitNumbers,
  deltaBinaryPacked,
  deltaByteArrayTypeCodes,
  deltaLengthTypeCodes,
  plainNumbers,
  plainTypeCodes,
  plainTypeDictionary,
  VALUE_BYTES,
  type NumberType,
  type TypeValues,
} from './parquet-values.ts';
import type { ReadOptions } from './read-options.ts';
import { decodeRleHybrid } from './rle-hybrid.ts';
import { snappyDecompress } from './snappy.ts';
import { UNKNOWN_TYPE_CODE } from './type-codes.ts';

/*
 * A lean decoder for the six flat landmark columns. Every structure is parsed by bounded code of our
 * own — footer and page headers (parquet-metadata.ts), Snappy, RLE levels and the value encodings
 * (parquet-values.ts) — and no length a file claims is trusted before the bytes to back it are
 * checked: a damaged or hostile file costs a small multiple of its size in memory, plus at most the
 * row columns its claimed row count needs, which the row limit caps (~22 MB at 543,000 rows).
 * Pages are scattered straight into typed arrays (hyparquet's column reader boxes every value), which
 * makes a whole read to the dense tensor ~40 % of the time hyparquet needs just to decode the
 * columns (`npm run bench:reader`). Anything this does not handle is a typed error, never a wrong
 * value.
 */

const PAR1 = 0x31524150; // "PAR1" little-endian
const DECODABLE_CODECS: ReadonlySet<number> = new Set([0, 1]); // UNCOMPRESSED, SNAPPY
const ROW_LEVEL_SLACK = 1024;

const ALLOWED_TYPES: Readonly<Record<RequiredColumn, readonly string[]>> = {
  frame: ['INT32', 'INT64'],
  landmark_index: ['INT32', 'INT64'],
  type: ['BYTE_ARRAY'],
  x: ['FLOAT', 'DOUBLE'],
  y: ['FLOAT', 'DOUBLE'],
  z: ['FLOAT', 'DOUBLE'],
};

/** The most bytes one row of a column may take once decompressed; see `maxPageBytes`. */
const MAX_ROW_BYTES: Readonly<Record<'number' | 'type', number>> = {
  // An 8-byte value, plus its definition level and run headers.
  number: 16,
  // A 4-byte length and a name (the longest landmark type is 10 bytes; 60 leaves room for others).
  type: 64,
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
  | { readonly kind: 'type'; readonly values: TypeValues };

/** One data page's non-null values: dictionary indices or the values themselves. */
type PageValues =
  | { readonly kind: 'indices'; readonly indices: Int32Array }
  | { readonly kind: 'number'; readonly values: Float64Array }
  | { readonly kind: 'type'; readonly values: TypeValues };

interface ChunkContext {
  readonly source: string;
  readonly name: RequiredColumn;
  readonly kind: 'number' | 'type';
  readonly type: string;
  readonly optional: boolean;
  readonly meta: ColumnChunkMeta;
}

export function decodeLandmarkColumns(
  bytes: Uint8Array,
  source: string,
  opts?: ReadOptions,
): LandmarkColumns {
  checkBodySize(bytes, source);
  checkMagic(bytes, source);
  try {
    return decodeColumns(bytes, source, opts);
  } catch (error) {
    throw asLandmarkError(error, source, 'parquet');
  }
}

function checkMagic(bytes: Uint8Array, source: string): void {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.byteLength < 4 || view.getUint32(0, true) !== PAR1) {
    throw new LandmarkFileError('not_parquet', source, 'does not start with the parquet magic "PAR1"');
  }
  if (bytes.byteLength < 12 || view.getUint32(bytes.byteLength - 4, true) !== PAR1) {
    throw corrupt(source, 'no parquet footer (truncated file?)');
  }
}

function decodeColumns(bytes: Uint8Array, source: string, opts: ReadOptions | undefined): LandmarkColumns {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const footerLength = view.getUint32(bytes.byteLength - 8, true);
  const footerEnd = bytes.byteLength - 8;
  if (!(footerLength > 0 && footerLength <= footerEnd - 4)) {
    throw corrupt(source, `the footer claims ${footerLength} bytes in a file of ${bytes.byteLength}`);
  }
  let leaves: Map<RequiredColumn, LeafColumn> | undefined;
  const footer = readParquetFooter(bytes, footerEnd - footerLength, footerEnd, (schema) => {
    leaves = findLeaves(schema, source);
    return REQUIRED_COLUMNS.map((name) => leaves!.get(name)!.chunkIndex);
  });
  const length = footer.numRows;
  checkRowCount(length, source, opts);

  const numbers = new Map<RequiredColumn, Float64Array>();
  for (const name of NUMERIC_COLUMNS) numbers.set(name, new Float64Array(length));
  const typeCode = new Uint8Array(length);

  let rowStart = 0;
  for (const group of footer.rowGroups) {
    if (group.numRows > length - rowStart)
      throw corrupt(source, 'row groups hold more rows than the footer says');
    REQUIRED_COLUMNS.forEach((name, i) => {
      const leaf = leaves!.get(name)!;
      const meta = group.chunks[i]!;
      if (meta.inOtherFile)
        throw new LandmarkFileError('unsupported', source, `column ${name} lives in another file`);
      const kind = name === 'type' ? 'type' : 'number';
      const sink: Sink = kind === 'type' ? { kind, out: typeCode } : { kind, out: numbers.get(name)! };
      const type = nameOf(PARQUET_TYPES, leaf.element.type ?? -1);
      decodeChunk(
        bytes,
        { source, name, kind, type, optional: leaf.optional, meta },
        rowStart,
        group.numRows,
        sink,
      );
    });
    rowStart += group.numRows;
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

/** Maps each required column to its leaf; the schema list is depth-first, so leaves come in chunk order. */
function findLeaves(schema: readonly SchemaElement[], source: string): Map<RequiredColumn, LeafColumn> {
  const leaves = new Map<RequiredColumn, LeafColumn>();
  const nested = new Set<string>();
  let chunkIndex = 0;
  // Children still expected at each open group; the root is schema[0].
  const open: number[] = [schema[0]?.numChildren ?? 0];
  for (let i = 1; i < schema.length; i++) {
    const element = schema[i]!;
    const depth = open.length;
    open[depth - 1]!--;
    const isGroup = element.numChildren > 0;
    if (depth === 1 && (isGroup || element.repetition === REPETITION.REPEATED)) nested.add(element.name);
    if (isGroup) {
      open.push(element.numChildren);
    } else {
      if (
        depth === 1 &&
        !nested.has(element.name) &&
        isRequiredColumn(element.name) &&
        !leaves.has(element.name)
      ) {
        leaves.set(element.name, {
          chunkIndex,
          element,
          optional: element.repetition === REPETITION.OPTIONAL,
        });
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
    const type = nameOf(PARQUET_TYPES, leaf.element.type ?? -1);
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

/** What a page of `values` rows can hold once decompressed; a header claiming more is lying. */
function maxPageBytes(ctx: ChunkContext, values: number): number {
  return values * MAX_ROW_BYTES[ctx.kind] + ROW_LEVEL_SLACK;
}

function decodeChunk(bytes: Uint8Array, ctx: ChunkContext, rowStart: number, rows: number, sink: Sink): void {
  const { meta, name, source } = ctx;
  if (!DECODABLE_CODECS.has(meta.codec)) {
    throw new LandmarkFileError(
      'unsupported',
      source,
      `column ${name} uses the ${nameOf(CODECS, meta.codec)} codec`,
    );
  }
  if (nameOf(PARQUET_TYPES, meta.type) !== ctx.type)
    throw corrupt(source, `column ${name} chunk type disagrees with the schema`);
  const dictionaryOffset = meta.dictionaryPageOffset ?? 0;
  const dataOffset = meta.dataPageOffset;
  const start = dictionaryOffset > 0 && dictionaryOffset < dataOffset ? dictionaryOffset : dataOffset;
  const end = start + meta.totalCompressedSize;
  if (!(start >= 4 && meta.totalCompressedSize >= 0 && end <= bytes.byteLength - 8)) {
    throw corrupt(source, `column ${name} chunk lies outside the file (truncated file?)`);
  }

  let dictionary: Dictionary | undefined;
  let done = 0;
  let pos = start;
  while (done < rows) {
    if (pos >= end) throw corrupt(source, `column ${name} ends after ${done} of ${rows} rows`);
    const header = readPageHeader(bytes, pos, end);
    const size = header.compressedSize;
    if (!(size >= 0 && size <= end - header.bodyStart))
      throw corrupt(source, `column ${name} page runs past its chunk`);
    const page = bytes.subarray(header.bodyStart, header.bodyStart + size);
    pos = header.bodyStart + size;
    if (header.type === PAGE_TYPES.DICTIONARY_PAGE) {
      dictionary = readDictionary(page, header, ctx);
    } else if (header.type === PAGE_TYPES.DATA_PAGE || header.type === PAGE_TYPES.DATA_PAGE_V2) {
      done += decodeDataPage(page, header, ctx, dictionary, rowStart + done, rows - done, sink);
    }
    // Index pages carry nothing we need.
  }
}

/** The page's bytes as the values see them: decompressed when the chunk is, checked first. */
function decompress(
  page: Uint8Array,
  uncompressedSize: number,
  ctx: ChunkContext,
  values: number,
): Uint8Array {
  if (ctx.meta.codec !== 0 && !(uncompressedSize >= 0 && uncompressedSize <= maxPageBytes(ctx, values))) {
    throw corrupt(
      ctx.source,
      `column ${ctx.name} page claims ${uncompressedSize} bytes for ${values} values`,
    );
  }
  return ctx.meta.codec === 0 ? page : snappyDecompress(page, uncompressedSize);
}

function readDictionary(page: Uint8Array, header: PageHeader, ctx: ChunkContext): Dictionary {
  const info = header.dictionaryPage;
  const count = info?.numValues ?? -1;
  if (info === undefined || !(count >= 0))
    throw corrupt(ctx.source, `column ${ctx.name} dictionary has no count`);
  if (info.encoding !== ENCODINGS.PLAIN && info.encoding !== ENCODINGS.PLAIN_DICTIONARY) {
    throw new LandmarkFileError(
      'unsupported',
      ctx.source,
      `column ${ctx.name} dictionary uses the ${encodingName(info.encoding)} encoding`,
    );
  }
  const plain = decompress(page, header.uncompressedSize, ctx, count);
  if (ctx.kind === 'type')
    return { kind: 'type', values: plainTypeDictionary(plain, 0, plain.length, count) };
  return { kind: 'number', values: plainNumbers(plain, 0, plain.length, ctx.type as NumberType, count) };
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
  const { source, name } = ctx;
  const v2 = header.type === PAGE_TYPES.DATA_PAGE_V2 ? header.dataPageV2 : undefined;
  const v1 = header.type === PAGE_TYPES.DATA_PAGE ? header.dataPage : undefined;
  const info = v2 ?? v1;
  if (info === undefined) throw corrupt(source, `column ${name} data page has no header`);
  const count = info.numValues;
  if (!(count >= 0 && count <= rowsLeft)) {
    throw corrupt(source, `column ${name} has a data page of ${count} values with ${rowsLeft} rows left`);
  }

  let defined: Uint8Array | undefined;
  let values: Uint8Array;
  if (v2 !== undefined) {
    const levels = v2.definitionLevelsByteLength;
    if (v2.repetitionLevelsByteLength !== 0) throw corrupt(source, `column ${name} has repetition levels`);
    if (!(levels >= 0 && levels <= page.length))
      throw corrupt(source, `column ${name} levels run past the page`);
    if (ctx.optional) {
      defined = new Uint8Array(count);
      decodeRleHybrid(page, 0, levels, 1, defined);
    }
    values = page.subarray(levels);
    if (v2.isCompressed && ctx.meta.codec !== 0) {
      values = decompress(values, header.uncompressedSize - levels, ctx, count);
    }
  } else {
    if (ctx.optional && v1!.definitionLevelEncoding !== ENCODINGS.RLE) {
      throw new LandmarkFileError(
        'unsupported',
        source,
        `column ${name} definition levels use the ${encodingName(v1!.definitionLevelEncoding)} encoding`,
      );
    }
    values = decompress(page, header.uncompressedSize, ctx, count);
    if (ctx.optional) {
      defined = new Uint8Array(count);
      // v1 pages prefix the levels with their byte length.
      if (values.length < 4) throw corrupt(source, `column ${name} data page is too short`);
      const levelsLength = new DataView(values.buffer, values.byteOffset, 4).getUint32(0, true);
      if (levelsLength > values.length - 4) throw corrupt(source, `column ${name} levels run past the page`);
      decodeRleHybrid(values, 4, 4 + levelsLength, 1, defined);
      values = values.subarray(4 + levelsLength);
    }
  }

  let present = count;
  if (defined !== undefined) {
    present = 0;
    for (let i = 0; i < count; i++) present += defined[i]!;
  }
  const decoded = readValues(values, info.encoding, present, ctx);
  if (sink.kind === 'number')
    scatterNumbers(decoded, dictionary, defined, count, present, row, sink.out, ctx);
  else scatterTypes(decoded, dictionary, defined, count, row, sink.out, ctx);
  return count;
}

function readValues(bytes: Uint8Array, encoding: number, count: number, ctx: ChunkContext): PageValues {
  const end = bytes.length;
  switch (encoding) {
    case ENCODINGS.PLAIN:
      return ctx.kind === 'type'
        ? { kind: 'type', values: plainTypeCodes(bytes, 0, end, count) }
        : { kind: 'number', values: plainNumbers(bytes, 0, end, ctx.type as NumberType, count) };
    case ENCODINGS.PLAIN_DICTIONARY:
    case ENCODINGS.RLE_DICTIONARY: {
      const indices = new Int32Array(count);
      if (count === 0) return { kind: 'indices', indices };
      if (end < 1) throw new DecodeFailure('dictionary indices lack their bit width');
      decodeRleHybrid(bytes, 1, end, bytes[0]!, indices);
      return { kind: 'indices', indices };
    }
    case ENCODINGS.BYTE_STREAM_SPLIT:
      if (ctx.kind === 'number' && ctx.type in VALUE_BYTES) {
        return {
          kind: 'number',
          values: byteStreamSplitNumbers(bytes, 0, end, ctx.type as NumberType, count),
        };
      }
      break;
    case ENCODINGS.DELTA_BINARY_PACKED:
      if (ctx.type === 'INT32' || ctx.type === 'INT64') {
        return {
          kind: 'number',
          values: deltaBinaryPacked(bytes, 0, end, count, ctx.type === 'INT64').values,
        };
      }
      break;
    case ENCODINGS.DELTA_LENGTH_BYTE_ARRAY:
      if (ctx.kind === 'type') return { kind: 'type', values: deltaLengthTypeCodes(bytes, 0, end, count) };
      break;
    case ENCODINGS.DELTA_BYTE_ARRAY:
      if (ctx.kind === 'type') return { kind: 'type', values: deltaByteArrayTypeCodes(bytes, 0, end, count) };
      break;
  }
  throw new LandmarkFileError(
    'unsupported',
    ctx.source,
    `column ${ctx.name} uses the ${encodingName(encoding)} encoding for ${ctx.type} values`,
  );
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
  if (page.kind === 'indices') {
    if (dictionary?.kind !== 'number') throw corrupt(ctx.source, `column ${ctx.name} lacks its dictionary`);
    const { indices } = page;
    values = new Float64Array(indices.length);
    for (let i = 0; i < indices.length; i++) {
      const value = dictionary.values[indices[i]!];
      if (value === undefined)
        throw corrupt(ctx.source, `column ${ctx.name} has a dictionary index out of range`);
      values[i] = value;
    }
  } else if (page.kind === 'number') {
    values = page.values;
  } else {
    throw corrupt(ctx.source, `column ${ctx.name} holds strings`);
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
    let values: TypeValues;
    let index: number;
    if (page.kind === 'indices') {
      if (dictionary?.kind !== 'type') throw corrupt(source, 'column type lacks its dictionary');
      values = dictionary.values;
      index = page.indices[k++]!;
      if (!(index < values.codes.length))
        throw corrupt(source, 'column type has a dictionary index out of range');
    } else if (page.kind === 'type') {
      values = page.values;
      index = k++;
      if (index >= values.codes.length) throw corrupt(source, 'column type page is short of values');
    } else {
      throw corrupt(source, 'column type holds numbers');
    }
    const code = values.codes[index]!;
    if (code === UNKNOWN_TYPE_CODE) {
      throw new LandmarkFileError(
        'unknown_type',
        source,
        `type ${values.describe(index)} at row ${row + i} is not a landmark type`,
      );
    }
    out[row + i] = code;
  }
}

function corrupt(source: string, detail: string): LandmarkFileError {
  return new LandmarkFileError('corrupt', source, detail);
}
