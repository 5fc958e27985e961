import { LANDMARK_COUNTS, LANDMARK_OFFSETS, LANDMARK_TYPES } from '../../../src/shared/landmarks/layout.ts';
import type { ClipFrames } from '../../../scripts/worker/synthetic-clip.ts';
import {
  bitPacked,
  buildParquet,
  byteStreamSplit,
  CODEC,
  deltaBinaryPacked,
  deltaByteArray,
  deltaLengthByteArray,
  ENC,
  plainNumbers,
  plainStrings,
  REP,
  rleRuns,
  TYPE,
  type BuiltFile,
  type ChunkLies,
  type ColumnSpec,
  type FileSpec,
  type NumberKind,
  type PageHeaderLies,
  type PageSpec,
} from './parquet-builder.ts';

/** The Kaggle landmark table: one row per frame and point, missing points as nulls. */
export interface LandmarkTable {
  readonly frame: (number | bigint)[];
  readonly type: (string | Uint8Array)[];
  readonly landmarkIndex: number[];
  readonly x: (number | null)[];
  readonly y: (number | null)[];
  readonly z: (number | null)[];
}

export function tableOf(clip: ClipFrames, firstFrame = 0): LandmarkTable {
  const table: LandmarkTable = { frame: [], type: [], landmarkIndex: [], x: [], y: [], z: [] };
  clip.forEach((points, f) => {
    for (const type of LANDMARK_TYPES) {
      for (let i = 0; i < LANDMARK_COUNTS[type]; i++) {
        const point = points[LANDMARK_OFFSETS[type] + i] ?? null;
        table.frame.push(firstFrame + f);
        table.type.push(type);
        table.landmarkIndex.push(i);
        table.x.push(point ? point[0] : null);
        table.y.push(point ? point[1] : null);
        table.z.push(point ? point[2] : null);
      }
    }
  });
  return table;
}

export type ColumnName = 'frame' | 'type' | 'landmark_index' | 'x' | 'y' | 'z';

/** How one base file lays the table out. */
export interface Layout {
  readonly name: string;
  readonly pages: 'v1' | 'v2';
  readonly codec: number;
  readonly intKind: 'INT32' | 'INT64';
  readonly floatKind: 'FLOAT' | 'DOUBLE';
  readonly encodings: Readonly<Record<ColumnName, number>>;
  readonly pagesPerChunk: number;
  readonly rowGroups: number;
  readonly rowId: boolean;
  readonly levels: 'rle' | 'bit-packed';
}

export const LAYOUTS: readonly Layout[] = [
  {
    // What pyarrow wrote for the competition: v1 pages, Snappy, dictionaries, plain doubles.
    name: 'pyarrow-like',
    pages: 'v1',
    codec: CODEC.SNAPPY,
    intKind: 'INT32',
    floatKind: 'DOUBLE',
    encodings: {
      frame: ENC.RLE_DICTIONARY,
      type: ENC.RLE_DICTIONARY,
      landmark_index: ENC.RLE_DICTIONARY,
      x: ENC.PLAIN,
      y: ENC.PLAIN,
      z: ENC.PLAIN,
    },
    pagesPerChunk: 1,
    rowGroups: 1,
    rowId: true,
    levels: 'rle',
  },
  {
    name: 'delta-v2',
    pages: 'v2',
    codec: CODEC.UNCOMPRESSED,
    intKind: 'INT64',
    floatKind: 'FLOAT',
    encodings: {
      frame: ENC.DELTA_BINARY_PACKED,
      type: ENC.DELTA_BYTE_ARRAY,
      landmark_index: ENC.DELTA_BINARY_PACKED,
      x: ENC.BYTE_STREAM_SPLIT,
      y: ENC.BYTE_STREAM_SPLIT,
      z: ENC.PLAIN,
    },
    pagesPerChunk: 2,
    rowGroups: 1,
    rowId: false,
    levels: 'bit-packed',
  },
  {
    name: 'mixed-groups',
    pages: 'v1',
    codec: CODEC.SNAPPY,
    intKind: 'INT32',
    floatKind: 'DOUBLE',
    encodings: {
      frame: ENC.DELTA_BINARY_PACKED,
      type: ENC.DELTA_LENGTH_BYTE_ARRAY,
      landmark_index: ENC.PLAIN,
      x: ENC.RLE_DICTIONARY,
      y: ENC.PLAIN_DICTIONARY,
      z: ENC.BYTE_STREAM_SPLIT,
    },
    pagesPerChunk: 2,
    rowGroups: 2,
    rowId: false,
    levels: 'rle',
  },
];

/** Lies to tell about one column's pages or chunk, by page index (-1: the dictionary page). */
export interface ColumnLies {
  readonly page?: Readonly<Record<number, PageHeaderLies>>;
  readonly storedBytes?: Readonly<Record<number, (bytes: Uint8Array) => Uint8Array>>;
  /** Replaces a data page's encoded values. */
  readonly values?: Readonly<
    Record<
      number,
      (values: Uint8Array, present: readonly (number | string | Uint8Array | bigint)[]) => Uint8Array
    >
  >;
  readonly levels?: Readonly<Record<number, (levels: Uint8Array) => Uint8Array>>;
  readonly chunk?: ChunkLies;
  readonly type?: number;
  readonly repetition?: number;
}

export interface FileLies {
  readonly columns?: Partial<Record<ColumnName, ColumnLies>>;
  /** Whole-column encoding or codec changes. */
  readonly encodings?: Partial<Record<ColumnName, number>>;
  readonly codec?: number;
  readonly file?: Partial<
    Pick<FileSpec, 'numRows' | 'footerExtra' | 'footerBytes' | 'footerLength' | 'schema'>
  >;
  readonly rowGroupRows?: Readonly<Record<number, number>>;
}

function bitWidthOf(max: number): number {
  return max === 0 ? 0 : Math.floor(Math.log2(max)) + 1;
}

function levelsOf(defined: readonly number[], layout: Layout): Uint8Array {
  return layout.levels === 'rle' ? rleRuns(defined, 1) : bitPacked(defined, 1);
}

function encodeValues(
  present: readonly (number | bigint | string | Uint8Array)[],
  encoding: number,
  kind: NumberKind | 'BYTE_ARRAY',
  dictionary: Map<string, number> | undefined,
): Uint8Array {
  if (encoding === ENC.RLE_DICTIONARY || encoding === ENC.PLAIN_DICTIONARY) {
    const indices = present.map((v) => dictionary!.get(keyOf(v))!);
    const width = Math.max(1, bitWidthOf(dictionary!.size - 1));
    const hybrid = indices.length % 2 === 0 ? bitPacked(indices, width) : rleRuns(indices, width);
    const out = new Uint8Array(1 + hybrid.length);
    out[0] = width;
    out.set(hybrid, 1);
    return out;
  }
  if (kind === 'BYTE_ARRAY') {
    const strings = present as (string | Uint8Array)[];
    if (encoding === ENC.DELTA_BYTE_ARRAY) return deltaByteArray(strings);
    if (encoding === ENC.DELTA_LENGTH_BYTE_ARRAY) return deltaLengthByteArray(strings);
    return plainStrings(strings);
  }
  const numbers = present.map(Number);
  if (encoding === ENC.DELTA_BINARY_PACKED)
    return deltaBinaryPacked(present as (number | bigint)[], { int32: kind === 'INT32' });
  if (encoding === ENC.BYTE_STREAM_SPLIT) return byteStreamSplit(numbers, kind);
  return plainNumbers(numbers, kind);
}

function keyOf(v: number | bigint | string | Uint8Array): string {
  return typeof v === 'object' ? `b:${Array.from(v).join(',')}` : `${typeof v}:${String(v)}`;
}

function columnSpec(
  name: ColumnName,
  values: readonly (number | bigint | string | Uint8Array | null)[],
  rows: readonly [number, number],
  layout: Layout,
  lies: FileLies,
): ColumnSpec {
  const lie = lies.columns?.[name] ?? {};
  const kind: NumberKind | 'BYTE_ARRAY' =
    name === 'type'
      ? 'BYTE_ARRAY'
      : name === 'frame' || name === 'landmark_index'
        ? layout.intKind
        : layout.floatKind;
  const optional = name === 'x' || name === 'y' || name === 'z';
  const encoding = lies.encodings?.[name] ?? layout.encodings[name];
  const codec = lies.codec ?? layout.codec;
  const slice = values.slice(rows[0], rows[1]);
  const pages: PageSpec[] = [];
  let dictionary: Map<string, number> | undefined;
  if (encoding === ENC.RLE_DICTIONARY || encoding === ENC.PLAIN_DICTIONARY) {
    dictionary = new Map();
    const entries: (number | bigint | string | Uint8Array)[] = [];
    for (const v of slice) {
      if (v === null || dictionary.has(keyOf(v))) continue;
      dictionary.set(keyOf(v), entries.length);
      entries.push(v);
    }
    pages.push({
      kind: 'dictionary',
      numValues: entries.length,
      encoding: ENC.PLAIN,
      values:
        kind === 'BYTE_ARRAY'
          ? plainStrings(entries as (string | Uint8Array)[])
          : plainNumbers(entries.map(Number), kind),
      ...(lie.page?.[-1] === undefined ? {} : { lie: lie.page[-1] }),
      ...(lie.storedBytes?.[-1] === undefined ? {} : { storedBytes: lie.storedBytes[-1] }),
    });
  }
  const per = Math.ceil(slice.length / layout.pagesPerChunk);
  for (let p = 0; p * per < slice.length || p === 0; p++) {
    const part = slice.slice(p * per, (p + 1) * per);
    const present = part.filter((v): v is number | bigint | string | Uint8Array => v !== null);
    let encoded = encodeValues(present, encoding, kind, dictionary);
    const replaceValues = lie.values?.[p];
    if (replaceValues) encoded = replaceValues(encoded, present);
    let levels = optional
      ? levelsOf(
          part.map((v) => (v === null ? 0 : 1)),
          layout,
        )
      : undefined;
    const replaceLevels = lie.levels?.[p];
    if (levels !== undefined && replaceLevels) levels = replaceLevels(levels);
    pages.push({
      kind: layout.pages,
      numValues: part.length,
      encoding,
      values: encoded,
      ...(levels === undefined ? {} : { levels }),
      ...(lie.page?.[p] === undefined ? {} : { lie: lie.page[p] }),
      ...(lie.storedBytes?.[p] === undefined ? {} : { storedBytes: lie.storedBytes[p] }),
    });
  }
  const physical = {
    INT32: TYPE.INT32,
    INT64: TYPE.INT64,
    FLOAT: TYPE.FLOAT,
    DOUBLE: TYPE.DOUBLE,
    BYTE_ARRAY: TYPE.BYTE_ARRAY,
  }[kind];
  return {
    name,
    type: lie.type ?? physical,
    repetition: lie.repetition ?? (optional ? REP.OPTIONAL : REP.REQUIRED),
    codec,
    pages,
    ...(lie.chunk === undefined ? {} : { lie: lie.chunk }),
  };
}

function rowIdColumn(table: LandmarkTable, rows: readonly [number, number], layout: Layout): ColumnSpec {
  const ids: string[] = [];
  for (let r = rows[0]; r < rows[1]; r++)
    ids.push(`${String(table.frame[r])}-${String(table.type[r])}-${table.landmarkIndex[r]}`);
  return {
    name: 'row_id',
    type: TYPE.BYTE_ARRAY,
    repetition: REP.REQUIRED,
    codec: layout.codec,
    pages: [{ kind: layout.pages, numValues: ids.length, encoding: ENC.PLAIN, values: plainStrings(ids) }],
  };
}

export function landmarkFileSpec(table: LandmarkTable, layout: Layout, lies: FileLies = {}): FileSpec {
  const rows = table.frame.length;
  const per = Math.ceil(rows / layout.rowGroups);
  const rowGroups = [];
  for (let g = 0; g < layout.rowGroups; g++) {
    const range = [g * per, Math.min(rows, (g + 1) * per)] as const;
    const columns: ColumnSpec[] = [];
    const columnValues: Record<ColumnName, readonly (number | bigint | string | Uint8Array | null)[]> = {
      frame: table.frame,
      type: table.type,
      landmark_index: table.landmarkIndex,
      x: table.x,
      y: table.y,
      z: table.z,
    };
    // Column order as the real files have it: frame, row_id, type, landmark_index, x, y, z.
    columns.push(columnSpec('frame', columnValues.frame, range, layout, lies));
    if (layout.rowId) columns.push(rowIdColumn(table, range, layout));
    for (const name of ['type', 'landmark_index', 'x', 'y', 'z'] as const) {
      columns.push(columnSpec(name, columnValues[name], range, layout, lies));
    }
    rowGroups.push({ numRows: lies.rowGroupRows?.[g] ?? range[1] - range[0], columns });
  }
  return { rowGroups, ...lies.file };
}

export function landmarkParquet(table: LandmarkTable, layout: Layout, lies: FileLies = {}): BuiltFile {
  return buildParquet(landmarkFileSpec(table, layout, lies));
}
