import { snappyCompress } from 'hyparquet-writer/src/snappy.js';
import {
  binary,
  ByteSink,
  encodeStruct,
  field,
  i64,
  int,
  list,
  struct,
  T,
  type ThriftField,
  type ThriftValue,
} from './thrift-writer.ts';

/*
 * Parquet files assembled piece by piece, so that a test can make any one piece lie: every page
 * header field, every chunk and footer field, and the encoded values themselves are ours to set. A
 * build also returns where each structure landed in the file (regions), for truncations and bit flips
 * at every structural offset. Runtime-neutral: the workerd tests build the same files.
 */

export const TYPE = {
  INT32: 1,
  INT64: 2,
  INT96: 3,
  FLOAT: 4,
  DOUBLE: 5,
  BYTE_ARRAY: 6,
  FIXED_LEN_BYTE_ARRAY: 7,
} as const;
export const ENC = {
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
export const CODEC = {
  UNCOMPRESSED: 0,
  SNAPPY: 1,
  GZIP: 2,
  LZO: 3,
  BROTLI: 4,
  LZ4: 5,
  ZSTD: 6,
  LZ4_RAW: 7,
} as const;
export const REP = { REQUIRED: 0, OPTIONAL: 1, REPEATED: 2 } as const;

export type NumberKind = 'INT32' | 'INT64' | 'FLOAT' | 'DOUBLE';

// ---- value encoders -------------------------------------------------------------------------

export function plainNumbers(values: readonly number[], kind: NumberKind): Uint8Array {
  const width = kind === 'INT32' || kind === 'FLOAT' ? 4 : 8;
  const out = new Uint8Array(values.length * width);
  const view = new DataView(out.buffer);
  values.forEach((v, i) => {
    if (kind === 'INT32') view.setInt32(i * 4, v, true);
    else if (kind === 'INT64') view.setBigInt64(i * 8, BigInt(v), true);
    else if (kind === 'FLOAT') view.setFloat32(i * 4, v, true);
    else view.setFloat64(i * 8, v, true);
  });
  return out;
}

export function plainStrings(values: readonly (string | Uint8Array)[]): Uint8Array {
  const sink = new ByteSink();
  for (const value of values) {
    const bytes = typeof value === 'string' ? new TextEncoder().encode(value) : value;
    sink.u32(bytes.length);
    sink.append(bytes);
  }
  return sink.result();
}

export function byteStreamSplit(values: readonly number[], kind: NumberKind): Uint8Array {
  const plain = plainNumbers(values, kind);
  const width = plain.length / Math.max(1, values.length);
  const out = new Uint8Array(plain.length);
  for (let i = 0; i < values.length; i++)
    for (let k = 0; k < width; k++) out[k * values.length + i] = plain[i * width + k]!;
  return out;
}

function valueBytes(sink: ByteSink, value: number, bitWidth: number): void {
  for (let i = 0; i < (bitWidth + 7) >> 3; i++) sink.push(Math.floor(value / 2 ** (8 * i)) & 0xff);
}

/** RLE runs only: one run per stretch of equal values. */
export function rleRuns(values: readonly number[], bitWidth: number): Uint8Array {
  const sink = new ByteSink();
  for (let i = 0; i < values.length;) {
    let j = i;
    while (j < values.length && values[j] === values[i]) j++;
    sink.varint((j - i) * 2);
    valueBytes(sink, values[i]!, bitWidth);
    i = j;
  }
  return sink.result();
}

/** One bit-packed run of all the values (padded to a multiple of 8). */
export function bitPacked(values: readonly number[], bitWidth: number): Uint8Array {
  const groups = Math.ceil(values.length / 8);
  const sink = new ByteSink();
  sink.varint(groups * 2 + 1);
  const bits = new Uint8Array(groups * bitWidth);
  values.forEach((v, i) => {
    for (let b = 0; b < bitWidth; b++) {
      if (Math.floor(v / 2 ** b) % 2 === 1) bits[(i * bitWidth + b) >> 3]! |= 1 << ((i * bitWidth + b) & 7);
    }
  });
  sink.append(bits);
  return sink.result();
}

export interface DeltaOptions {
  readonly blockSize?: number;
  readonly miniblocks?: number;
  /** Written as the header's value count instead of the true one. */
  readonly totalCount?: number;
  /** Written as every miniblock's bit width instead of the needed one (values packed to match). */
  readonly bitWidth?: number;
  /** INT32 columns: deltas wrap at 32 bits, as the format says, so no miniblock needs more than 32. */
  readonly int32?: boolean;
}

/** DELTA_BINARY_PACKED, int64 arithmetic (what an int32 column holds fits). */
export function deltaBinaryPacked(values: readonly (number | bigint)[], opts: DeltaOptions = {}): Uint8Array {
  const blockSize = opts.blockSize ?? 128;
  const miniblocks = opts.miniblocks ?? 4;
  const sink = new ByteSink();
  sink.varint(blockSize);
  sink.varint(miniblocks);
  sink.varint(opts.totalCount ?? values.length);
  // A header that lies about the block layout still gets values behind it, packed in a sane layout.
  const sane =
    blockSize > 0 &&
    blockSize <= 2 ** 26 &&
    miniblocks > 0 &&
    miniblocks <= 2 ** 20 &&
    (blockSize / miniblocks) % 8 === 0;
  const packBlock = sane ? blockSize : 128;
  const packMiniblocks = sane ? miniblocks : 4;
  const perMiniblock = packBlock / packMiniblocks;
  const v = values.map((x) => BigInt(x));
  sink.zigzag(v[0] ?? 0n);
  for (let start = 1; start < v.length; start += packBlock) {
    const deltas: bigint[] = [];
    const wrap = (d: bigint): bigint => (opts.int32 === true ? BigInt.asIntN(32, d) : d);
    for (let i = start; i < Math.min(start + packBlock, v.length); i++) deltas.push(wrap(v[i]! - v[i - 1]!));
    const min = deltas.reduce((a, b) => (b < a ? b : a));
    const offset = (d: bigint): bigint => (opts.int32 === true ? BigInt.asUintN(32, d - min) : d - min);
    sink.zigzag(min);
    const widths: number[] = [];
    for (let m = 0; m < packMiniblocks; m++) {
      const part = deltas.slice(m * perMiniblock, (m + 1) * perMiniblock).map(offset);
      const max = part.reduce((a, b) => (b > a ? b : a), 0n);
      widths.push(opts.bitWidth ?? (part.length === 0 ? 0 : max.toString(2).length - (max === 0n ? 1 : 0)));
    }
    sink.append(Uint8Array.from(widths));
    for (let m = 0; m < packMiniblocks; m++) {
      const part = deltas.slice(m * perMiniblock, (m + 1) * perMiniblock).map(offset);
      if (part.length === 0) break;
      const width = Math.min(widths[m]!, 64);
      const bits = new Uint8Array((perMiniblock * width) / 8);
      part.forEach((d, i) => {
        for (let b = 0; b < width; b++) {
          if ((d >> BigInt(b)) & 1n) bits[(i * width + b) >> 3]! |= 1 << ((i * width + b) & 7);
        }
      });
      sink.append(bits);
    }
  }
  return sink.result();
}

const utf8 = (value: string | Uint8Array): Uint8Array =>
  typeof value === 'string' ? new TextEncoder().encode(value) : value;

export function deltaLengthByteArray(
  values: readonly (string | Uint8Array)[],
  lengths?: readonly number[],
): Uint8Array {
  const bytes = values.map(utf8);
  const sink = new ByteSink();
  sink.append(deltaBinaryPacked(lengths ?? bytes.map((b) => b.length), { int32: true }));
  for (const b of bytes) sink.append(b);
  return sink.result();
}

/** DELTA_BYTE_ARRAY; `prefixes` / `suffixLengths` replace the true ones (the suffix bytes stay true). */
export function deltaByteArray(
  values: readonly (string | Uint8Array)[],
  lie: { prefixes?: readonly number[]; suffixLengths?: readonly number[] } = {},
): Uint8Array {
  const bytes = values.map(utf8);
  const prefixes: number[] = [];
  const suffixes: Uint8Array[] = [];
  bytes.forEach((b, i) => {
    const prev = bytes[i - 1] ?? new Uint8Array(0);
    let p = 0;
    while (p < b.length && p < prev.length && b[p] === prev[p]) p++;
    prefixes.push(p);
    suffixes.push(b.subarray(p));
  });
  const sink = new ByteSink();
  sink.append(deltaBinaryPacked(lie.prefixes ?? prefixes, { int32: true }));
  sink.append(deltaBinaryPacked(lie.suffixLengths ?? suffixes.map((s) => s.length), { int32: true }));
  for (const s of suffixes) sink.append(s);
  return sink.result();
}

export const snappy = (bytes: Uint8Array): Uint8Array => snappyCompress(bytes);

// ---- files ----------------------------------------------------------------------------------

/** Header fields a test may set to anything; unset ones are the true values. */
export interface PageHeaderLies {
  readonly type?: number;
  readonly uncompressedSize?: number;
  readonly compressedSize?: number;
  readonly numValues?: number;
  readonly encoding?: number;
  readonly definitionLevelEncoding?: number;
  readonly definitionLevelsByteLength?: number;
  readonly repetitionLevelsByteLength?: number;
  readonly isCompressed?: boolean;
  /** Extra fields appended to the page header struct. */
  readonly extra?: readonly ThriftField[];
}

export interface PageSpec {
  readonly kind: 'dictionary' | 'v1' | 'v2';
  readonly numValues: number;
  readonly encoding: number;
  /** Definition levels, RLE-hybrid encoded without a length prefix (optional columns only). */
  readonly levels?: Uint8Array;
  /** The values as encoded, before compression. */
  readonly values: Uint8Array;
  readonly lie?: PageHeaderLies;
  /** Applied to the page's bytes as stored (after compression). */
  readonly storedBytes?: (bytes: Uint8Array) => Uint8Array;
}

export interface ChunkLies {
  readonly type?: number;
  readonly codec?: number;
  readonly numValues?: number;
  readonly totalCompressedSize?: number;
  readonly dataPageOffset?: number;
  /** null: leave the field out. */
  readonly dictionaryPageOffset?: number | null;
  readonly filePath?: string;
  readonly omitMetadata?: boolean;
}

export interface ColumnSpec {
  readonly name: string;
  readonly type: number;
  readonly repetition: number;
  readonly codec: number;
  readonly pages: readonly PageSpec[];
  readonly lie?: ChunkLies;
  /** Extra schema element fields (e.g. converted types). */
  readonly schemaExtra?: readonly ThriftField[];
}

export interface RowGroupSpec {
  readonly numRows: number;
  readonly columns: readonly ColumnSpec[];
}

export interface FileSpec {
  readonly rowGroups: readonly RowGroupSpec[];
  /** Defaults to the sum of the row groups' rows. */
  readonly numRows?: number;
  /** Replaces the schema built from the first row group's columns. */
  readonly schema?: readonly ThriftValue[];
  /** Extra FileMetaData fields. */
  readonly footerExtra?: readonly ThriftField[];
  /** Replaces the footer bytes entirely. */
  readonly footerBytes?: (footer: Uint8Array) => Uint8Array;
  /** Written instead of the true footer length. */
  readonly footerLength?: number;
}

export interface Region {
  readonly label: string;
  readonly start: number;
  readonly end: number;
}

export interface BuiltFile {
  readonly bytes: Uint8Array;
  readonly regions: readonly Region[];
}

function pageHeader(
  page: PageSpec,
  uncompressed: number,
  compressed: number,
  levelsLength: number,
): Uint8Array {
  const lie = page.lie ?? {};
  const type = lie.type ?? { dictionary: 2, v1: 0, v2: 3 }[page.kind];
  const numValues = lie.numValues ?? page.numValues;
  const encoding = lie.encoding ?? page.encoding;
  let detail: ThriftField | undefined;
  if (page.kind === 'dictionary')
    detail = field(7, struct(field(1, int(numValues)), field(2, int(encoding))));
  else if (page.kind === 'v1') {
    detail = field(
      5,
      struct(
        field(1, int(numValues)),
        field(2, int(encoding)),
        field(3, int(lie.definitionLevelEncoding ?? ENC.RLE)),
        field(4, int(ENC.RLE)),
      ),
    );
  } else {
    detail = field(
      8,
      struct(
        field(1, int(numValues)),
        field(2, int(0)),
        field(3, int(numValues)),
        field(4, int(encoding)),
        field(5, int(lie.definitionLevelsByteLength ?? levelsLength)),
        field(6, int(lie.repetitionLevelsByteLength ?? 0)),
        field(7, lie.isCompressed === undefined ? undefined : { t: 'bool', v: lie.isCompressed }),
      ),
    );
  }
  return encodeStruct(
    struct(
      field(1, int(type)),
      field(2, int(lie.uncompressedSize ?? uncompressed)),
      field(3, int(lie.compressedSize ?? compressed)),
      detail,
      ...(lie.extra ?? []),
    ),
  );
}

/** A page as stored, and its header. */
function storePage(page: PageSpec, codec: number): { header: Uint8Array; body: Uint8Array } {
  const compress = (bytes: Uint8Array): Uint8Array => (codec === CODEC.SNAPPY ? snappy(bytes) : bytes);
  let body: Uint8Array;
  let uncompressed: number;
  let levelsLength = 0;
  if (page.kind === 'v2') {
    const levels = page.levels ?? new Uint8Array(0);
    levelsLength = levels.length;
    const values = page.lie?.isCompressed === false ? page.values : compress(page.values);
    body = new Uint8Array(levels.length + values.length);
    body.set(levels);
    body.set(values, levels.length);
    uncompressed = levels.length + page.values.length;
  } else {
    const sink = new ByteSink();
    if (page.levels !== undefined) {
      sink.u32(page.levels.length);
      sink.append(page.levels);
    }
    sink.append(page.values);
    const plain = sink.result();
    uncompressed = plain.length;
    body = compress(plain);
  }
  if (page.storedBytes) body = page.storedBytes(body);
  return { header: pageHeader(page, uncompressed, body.length, levelsLength), body };
}

function schemaOf(columns: readonly ColumnSpec[]): ThriftValue[] {
  return [
    struct(field(4, binary('schema')), field(5, int(columns.length))),
    ...columns.map((c) =>
      struct(
        field(1, int(c.type)),
        field(3, int(c.repetition)),
        field(4, binary(c.name)),
        ...(c.schemaExtra ?? []),
      ),
    ),
  ];
}

export function buildParquet(spec: FileSpec): BuiltFile {
  const sink = new ByteSink();
  const regions: Region[] = [];
  const mark = (label: string, from: number) => regions.push({ label, start: from, end: sink.length });
  sink.append(new TextEncoder().encode('PAR1'));
  mark('magic', 0);
  const groups: ThriftValue[] = [];
  spec.rowGroups.forEach((group, g) => {
    const chunks: ThriftValue[] = [];
    for (const column of group.columns) {
      const chunkStart = sink.length;
      let dictionaryOffset: number | undefined;
      let dataOffset: number | undefined;
      column.pages.forEach((page, p) => {
        const { header, body } = storePage(page, column.codec);
        const at = sink.length;
        if (page.kind === 'dictionary') dictionaryOffset ??= at;
        else dataOffset ??= at;
        sink.append(header);
        mark(`g${g} ${column.name} page ${p} (${page.kind}) header`, at);
        const bodyAt = sink.length;
        sink.append(body);
        mark(`g${g} ${column.name} page ${p} (${page.kind}) body`, bodyAt);
      });
      const lie = column.lie ?? {};
      const numValues = column.pages
        .filter((p) => p.kind !== 'dictionary')
        .reduce((n, p) => n + p.numValues, 0);
      const meta = struct(
        field(1, int(lie.type ?? column.type)),
        field(2, list(T.I32, [int(ENC.PLAIN), int(ENC.RLE)])),
        field(3, list(T.BINARY, [binary(column.name)])),
        field(4, int(lie.codec ?? column.codec)),
        field(5, i64(lie.numValues ?? numValues)),
        field(6, i64(sink.length - chunkStart)),
        field(7, i64(lie.totalCompressedSize ?? sink.length - chunkStart)),
        field(9, i64(lie.dataPageOffset ?? dataOffset ?? chunkStart)),
        field(
          11,
          lie.dictionaryPageOffset === null
            ? undefined
            : lie.dictionaryPageOffset !== undefined
              ? i64(lie.dictionaryPageOffset)
              : dictionaryOffset === undefined
                ? undefined
                : i64(dictionaryOffset),
        ),
      );
      chunks.push(
        struct(
          field(1, lie.filePath === undefined ? undefined : binary(lie.filePath)),
          field(2, i64(chunkStart)),
          lie.omitMetadata === true ? undefined : field(3, meta),
        ),
      );
    }
    groups.push(struct(field(1, list(T.STRUCT, chunks)), field(2, i64(0)), field(3, i64(group.numRows))));
  });
  const numRows = spec.numRows ?? spec.rowGroups.reduce((n, g) => n + g.numRows, 0);
  let footer = encodeStruct(
    struct(
      field(1, int(1)),
      field(2, list(T.STRUCT, spec.schema ?? schemaOf(spec.rowGroups[0]?.columns ?? []))),
      field(3, i64(numRows)),
      field(4, list(T.STRUCT, groups)),
      field(6, binary('signcast hostile-input tests')),
      ...(spec.footerExtra ?? []),
    ),
  );
  if (spec.footerBytes) footer = spec.footerBytes(footer);
  const footerAt = sink.length;
  sink.append(footer);
  mark('footer', footerAt);
  const lengthAt = sink.length;
  sink.u32(spec.footerLength ?? footer.length);
  mark('footer length', lengthAt);
  const tailAt = sink.length;
  sink.append(new TextEncoder().encode('PAR1'));
  mark('magic', tailAt);
  return { bytes: sink.result(), regions };
}
