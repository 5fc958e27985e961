import { DecodeFailure } from './decode-failure.ts';
import { CompactReader, THRIFT } from './parquet-thrift.ts';

/*
 * The slice of parquet's metadata (parquet.thrift) the landmark reader needs: the schema, the row
 * groups' chunks of the columns it reads, and page headers. Fields are read by id with the bounded
 * compact reader; chunks of other columns (row_id, writers' extras) are skipped, not kept.
 */

export const PARQUET_TYPES = [
  'BOOLEAN',
  'INT32',
  'INT64',
  'INT96',
  'FLOAT',
  'DOUBLE',
  'BYTE_ARRAY',
  'FIXED_LEN_BYTE_ARRAY',
] as const;
export type ParquetType = (typeof PARQUET_TYPES)[number];

export const CODECS = ['UNCOMPRESSED', 'SNAPPY', 'GZIP', 'LZO', 'BROTLI', 'LZ4', 'ZSTD', 'LZ4_RAW'] as const;

export const ENCODINGS = {
  PLAIN: 0,
  PLAIN_DICTIONARY: 2,
  RLE: 3,
  BIT_PACKED: 4,
  DELTA_BINARY_PACKED: 5,
  DELTA_LENGTH_BYTE_ARRAY: 6,
  DELTA_BYTE_ARRAY: 7,
  RLE_DICTIONARY: 8,
  BYTE_STREAM_SPLIT: 9,
} as const;

export const PAGE_TYPES = { DATA_PAGE: 0, INDEX_PAGE: 1, DICTIONARY_PAGE: 2, DATA_PAGE_V2: 3 } as const;

export const REPETITION = { REQUIRED: 0, OPTIONAL: 1, REPEATED: 2 } as const;

/** A landmark table has 7 columns; this many schema elements is not one. */
const MAX_SCHEMA_ELEMENTS = 1024;
/** Row groups kept while reading a footer; writers use one, or a few for a big table. */
export const MAX_ROW_GROUPS = 10_000;
const INT32_MAX = 2 ** 31 - 1;

export interface SchemaElement {
  readonly name: string;
  readonly type: number | undefined;
  readonly repetition: number | undefined;
  readonly numChildren: number;
}

export interface ColumnChunkMeta {
  /** The chunk names another file (`file_path`): valid parquet, but not something we read. */
  readonly inOtherFile: boolean;
  readonly type: number;
  readonly codec: number;
  readonly totalCompressedSize: number;
  readonly dataPageOffset: number;
  readonly dictionaryPageOffset: number | undefined;
}

export interface RowGroupChunks {
  readonly numRows: number;
  /** One entry per requested chunk index, in request order. */
  readonly chunks: readonly ColumnChunkMeta[];
}

export interface ParquetFooter {
  readonly numRows: number;
  readonly schema: readonly SchemaElement[];
  /** Row groups with at least one row. */
  readonly rowGroups: readonly RowGroupChunks[];
}

/** Which column chunks (by leaf index) to keep, decided once the schema is known. */
export type ChunkSelector = (schema: readonly SchemaElement[]) => readonly number[];

/**
 * Reads FileMetaData from `bytes[start, end)`. The schema is read first, wherever it lies in the
 * struct, so that row groups keep only the chunks `select` asks for.
 */
export function readParquetFooter(
  bytes: Uint8Array,
  start: number,
  end: number,
  select: ChunkSelector,
): ParquetFooter {
  let numRows: number | undefined;
  let schema: SchemaElement[] | undefined;
  let rowGroupsAt: { offset: number; type: number } | undefined;
  const outer = new CompactReader(bytes, start, end);
  outer.struct(0, (id, type) => {
    if (id === 2) {
      schema = readSchema(outer, type);
      return true;
    }
    if (id === 3) {
      numRows = outer.integer(type);
      return true;
    }
    if (id === 4) {
      rowGroupsAt = { offset: outer.offset, type };
      outer.skip(type, 1);
      return true;
    }
    return false;
  });
  if (schema === undefined || schema.length === 0) throw new DecodeFailure('the footer has no schema');
  if (numRows === undefined) throw new DecodeFailure('the footer has no row count');
  if (numRows < 0) throw new DecodeFailure(`the footer claims ${numRows} rows`);
  const wanted = select(schema);
  const rowGroups: RowGroupChunks[] = [];
  if (rowGroupsAt !== undefined) {
    const reader = new CompactReader(bytes, rowGroupsAt.offset, end);
    reader.list(rowGroupsAt.type, 1, (elementType) => {
      const group = readRowGroup(reader, elementType, wanted);
      if (group.numRows === 0) return;
      if (rowGroups.length === MAX_ROW_GROUPS)
        throw new DecodeFailure(`more than ${MAX_ROW_GROUPS} row groups`);
      rowGroups.push(group);
    });
  }
  return { numRows, schema, rowGroups };
}

function readSchema(reader: CompactReader, type: number): SchemaElement[] {
  const schema: SchemaElement[] = [];
  const names = new TextDecoder();
  reader.list(type, 1, (elementType) => {
    if (schema.length === MAX_SCHEMA_ELEMENTS)
      throw new DecodeFailure(`the schema has more than ${MAX_SCHEMA_ELEMENTS} elements`);
    let name = '';
    let physical: number | undefined;
    let repetition: number | undefined;
    let numChildren = 0;
    expectStruct(elementType);
    reader.struct(2, (id, t) => {
      if (id === 1) physical = reader.integer(t);
      else if (id === 3) repetition = reader.integer(t);
      else if (id === 4) name = names.decode(reader.binary(t));
      else if (id === 5) numChildren = reader.integer(t);
      else return false;
      return true;
    });
    if (!(numChildren >= 0 && numChildren <= MAX_SCHEMA_ELEMENTS))
      throw new DecodeFailure(`a schema element claims ${numChildren} children`);
    schema.push({ name, type: physical, repetition, numChildren });
  });
  return schema;
}

function readRowGroup(reader: CompactReader, type: number, wanted: readonly number[]): RowGroupChunks {
  expectStruct(type);
  let numRows: number | undefined;
  const chunks: (ColumnChunkMeta | undefined)[] = wanted.map(() => undefined);
  reader.struct(2, (id, t) => {
    if (id === 3) {
      numRows = reader.integer(t);
      return true;
    }
    if (id !== 1) return false;
    reader.list(t, 3, (elementType, index) => {
      const slot = wanted.indexOf(index);
      if (slot < 0) reader.skip(elementType, 4);
      else chunks[slot] = readColumnChunk(reader, elementType);
    });
    return true;
  });
  if (numRows === undefined) throw new DecodeFailure('a row group has no row count');
  if (numRows < 0) throw new DecodeFailure(`a row group claims ${numRows} rows`);
  if (numRows > 0 && chunks.some((c) => c === undefined))
    throw new DecodeFailure('a row group lacks a column chunk');
  return { numRows, chunks: chunks as ColumnChunkMeta[] };
}

function readColumnChunk(reader: CompactReader, type: number): ColumnChunkMeta {
  expectStruct(type);
  let meta: Omit<ColumnChunkMeta, 'inOtherFile'> | undefined;
  let inOtherFile = false;
  reader.struct(4, (id, t) => {
    if (id === 1) {
      reader.binary(t);
      inOtherFile = true;
      return true;
    }
    if (id !== 3) return false;
    meta = readColumnMeta(reader, t);
    return true;
  });
  if (meta === undefined) throw new DecodeFailure('a column chunk has no metadata');
  return { ...meta, inOtherFile };
}

function readColumnMeta(reader: CompactReader, type: number): Omit<ColumnChunkMeta, 'inOtherFile'> {
  expectStruct(type);
  const fields: Record<number, number> = {};
  reader.struct(5, (id, t) => {
    if (id !== 1 && id !== 4 && id !== 7 && id !== 9 && id !== 11) return false;
    fields[id] = reader.integer(t);
    return true;
  });
  for (const id of [1, 4, 7, 9]) {
    if (fields[id] === undefined) throw new DecodeFailure(`column metadata lacks field ${id}`);
  }
  return {
    type: fields[1]!,
    codec: fields[4]!,
    totalCompressedSize: fields[7]!,
    dataPageOffset: fields[9]!,
    dictionaryPageOffset: fields[11],
  };
}

export interface DataPageInfo {
  readonly numValues: number;
  readonly encoding: number;
  /** v1 only: how the definition levels are encoded. */
  readonly definitionLevelEncoding: number;
}

export interface DataPageV2Info {
  readonly numValues: number;
  readonly encoding: number;
  readonly definitionLevelsByteLength: number;
  readonly repetitionLevelsByteLength: number;
  readonly isCompressed: boolean;
}

export interface PageHeader {
  readonly type: number;
  readonly uncompressedSize: number;
  readonly compressedSize: number;
  readonly dataPage: DataPageInfo | undefined;
  readonly dataPageV2: DataPageV2Info | undefined;
  readonly dictionaryPage: { readonly numValues: number; readonly encoding: number } | undefined;
  /** Where the page's bytes start. */
  readonly bodyStart: number;
}

/** Reads the page header at `start`; sizes are checked to be int32, not against the chunk. */
export function readPageHeader(bytes: Uint8Array, start: number, end: number): PageHeader {
  const reader = new CompactReader(bytes, start, end);
  const top: Record<number, number> = {};
  let dataPage: DataPageInfo | undefined;
  let dataPageV2: DataPageV2Info | undefined;
  let dictionaryPage: PageHeader['dictionaryPage'];
  reader.struct(0, (id, t) => {
    if (id === 1 || id === 2 || id === 3) {
      top[id] = int32(reader.integer(t), 'page header');
      return true;
    }
    if (id === 5) {
      const f = intFields(reader, t, [1, 2, 3]);
      dataPage = {
        numValues: need(f, 1),
        encoding: need(f, 2),
        definitionLevelEncoding: f[3] ?? ENCODINGS.RLE,
      };
      return true;
    }
    if (id === 7) {
      const f = intFields(reader, t, [1, 2]);
      dictionaryPage = { numValues: need(f, 1), encoding: f[2] ?? ENCODINGS.PLAIN };
      return true;
    }
    if (id === 8) {
      dataPageV2 = readDataPageV2(reader, t);
      return true;
    }
    return false;
  });
  return {
    type: need(top, 1),
    uncompressedSize: need(top, 2),
    compressedSize: need(top, 3),
    dataPage,
    dataPageV2,
    dictionaryPage,
    bodyStart: reader.offset,
  };
}

function readDataPageV2(reader: CompactReader, type: number): DataPageV2Info {
  expectStruct(type);
  const f: Record<number, number> = {};
  let isCompressed = true;
  reader.struct(1, (id, t) => {
    if (id === 7) {
      isCompressed = reader.bool(t);
      return true;
    }
    if (id < 1 || id > 6) return false;
    f[id] = int32(reader.integer(t), 'data page v2 header');
    return true;
  });
  return {
    numValues: need(f, 1),
    encoding: need(f, 4),
    definitionLevelsByteLength: need(f, 5),
    repetitionLevelsByteLength: need(f, 6),
    isCompressed,
  };
}

function intFields(reader: CompactReader, type: number, ids: readonly number[]): Record<number, number> {
  expectStruct(type);
  const fields: Record<number, number> = {};
  reader.struct(1, (id, t) => {
    if (!ids.includes(id)) return false;
    fields[id] = int32(reader.integer(t), 'page header');
    return true;
  });
  return fields;
}

function need(fields: Record<number, number>, id: number): number {
  const value = fields[id];
  if (value === undefined) throw new DecodeFailure(`a page header lacks field ${id}`);
  return value;
}

function int32(value: number, what: string): number {
  if (!(value >= -INT32_MAX - 1 && value <= INT32_MAX))
    throw new DecodeFailure(`${what}: ${value} is not an int32`);
  return value;
}

function expectStruct(type: number): void {
  if (type !== THRIFT.STRUCT) throw new DecodeFailure(`thrift: expected a struct, found type ${type}`);
}

export function nameOf(names: readonly string[], code: number): string {
  return names[code] ?? `#${code}`;
}

export function encodingName(code: number): string {
  return Object.entries(ENCODINGS).find(([, c]) => c === code)?.[0] ?? `#${code}`;
}
