import type { Clip } from '../../../src/shared/landmarks/clip.ts';
import { POINTS_PER_FRAME } from '../../../src/shared/landmarks/layout.ts';
import { MAX_ROWS } from '../../../src/shared/limits.ts';
import { denseClipData, syntheticClip, type ClipFrames } from '../../../scripts/worker/synthetic-clip.ts';
import {
  ARROW_LAYOUTS,
  ipcStructure,
  landmarkArrow,
  readLength,
  withLength,
  type ArrowLayout,
} from './arrow-ipc.ts';
import type { Expectation, HostileCase } from './check-outcome.ts';
import { craftedDeltaPrefixFile } from './crafted-files.ts';
import {
  CODEC,
  deltaBinaryPacked,
  deltaByteArray,
  deltaLengthByteArray,
  ENC,
  plainStrings,
  REP,
  TYPE,
  type BuiltFile,
  type PageHeaderLies,
  type Region,
} from './parquet-builder.ts';
import {
  landmarkParquet,
  LAYOUTS,
  tableOf,
  type ColumnName,
  type FileLies,
  type LandmarkTable,
  type Layout,
} from './landmark-parquet.ts';
import { binary, field, int, struct, T, type ThriftValue } from './thrift-writer.ts';

/*
 * The hostile corpus: parquet, Arrow and JSON clips by category, generated lazily (each case is
 * built, judged and dropped) from one small synthetic clip, deterministically — no committed
 * binaries. Every case carries what a correct reader must make of it: a typed error with one of a
 * few codes, the exact clip, or (for damage whose meaning cannot be predicted, like a flipped bit
 * in a float) any typed error or any well-formed clip. Runtime-neutral: workerd runs it too.
 *
 * Categories: valid, truncation, bit-flip, lying-length, out-of-range-index, extreme-value,
 * unsupported, deep-nesting.
 */

const FIRST_FRAME = 3;

export interface Base {
  readonly frames: ClipFrames;
  readonly table: LandmarkTable;
  readonly clip: Clip;
}

export function baseClip(): Base {
  // Two frames, the left hand absent throughout and the right hand in the second frame only.
  const frames = syntheticClip({ frames: 2, seed: 13, hand: 'right_hand', handMissingFrames: 1 });
  return {
    frames,
    table: tableOf(frames, FIRST_FRAME),
    clip: { frameCount: frames.length, firstFrame: FIRST_FRAME, data: denseClipData(frames) },
  };
}

const ANY: Expectation = { clip: 'any' };
const CORRUPT: Expectation = { codes: ['corrupt'] };

/** Region boundaries and their neighbours, inside the file: where truncations cut. */
function cutPoints(regions: readonly Region[], length: number): number[] {
  const cuts = new Set<number>();
  for (const r of regions)
    for (const p of [r.start - 1, r.start, r.start + 1, r.end - 1, r.end, r.end + 1]) cuts.add(p);
  return [...cuts].filter((p) => p >= 0 && p < length).sort((a, b) => a - b);
}

/** The bytes whose meaning is structure: headers, footers, framing, and the head of each body. */
function structuralOffsets(regions: readonly Region[]): { offset: number; region: Region }[] {
  const out: { offset: number; region: Region }[] = [];
  for (const region of regions) {
    const isBody = / body$/.test(region.label);
    const end = isBody ? Math.min(region.end, region.start + 16) : region.end;
    for (let o = region.start; o < end; o++) out.push({ offset: o, region });
  }
  return out;
}

const flipped = (bytes: Uint8Array, offset: number): Uint8Array => {
  const copy = bytes.slice();
  copy[offset]! ^= 1 << ((offset * 5 + 3) & 7);
  return copy;
};

// ---- parquet --------------------------------------------------------------------------------

const INT32_MAX = 2 ** 31 - 1;

function pageLies(kind: 'dictionary' | 'v1' | 'v2', numValues: number): PageHeaderLies[] {
  const lies: PageHeaderLies[] = [
    { compressedSize: 0 },
    { compressedSize: -1 },
    { compressedSize: INT32_MAX },
    { uncompressedSize: -1 },
    { uncompressedSize: 2 ** 28 },
    { uncompressedSize: INT32_MAX },
    { numValues: -1 },
    { numValues: numValues + 1 },
    { numValues: INT32_MAX },
    { type: 7 },
  ];
  if (kind !== 'dictionary') lies.push({ numValues: Math.max(0, numValues - 1) }, { numValues: 0 });
  if (kind === 'v2') {
    lies.push(
      { definitionLevelsByteLength: INT32_MAX },
      { definitionLevelsByteLength: -1 },
      { repetitionLevelsByteLength: 1 },
      { isCompressed: false },
    );
  }
  return lies;
}

function* parquetLies(
  base: Base,
  layout: Layout,
  built: BuiltFile,
): Generator<{ name: string; lies: FileLies; expect?: Expectation }> {
  const correctOrCorrupt: Expectation = { codes: ['corrupt'], clip: base.clip };
  // Page headers, page by page (the builder's labels say which pages each column has).
  for (const region of built.regions) {
    const m = /^g0 (\w+) page (\d+) \((\w+)\) header$/.exec(region.label);
    if (m === null || m[1] === 'row_id') continue;
    const [, column, pageText, kind] = m;
    const page =
      kind === 'dictionary'
        ? -1
        : Number(pageText) - (layoutHasDictionary(layout, column as ColumnName) ? 1 : 0);
    const rows = Math.ceil(base.table.frame.length / layout.rowGroups / layout.pagesPerChunk);
    for (const lie of pageLies(kind as 'dictionary' | 'v1' | 'v2', kind === 'dictionary' ? 4 : rows)) {
      yield {
        name: `${column} page ${page} header ${JSON.stringify(lie)}`,
        lies: { columns: { [column as ColumnName]: { page: { [page]: lie } } } },
        expect: correctOrCorrupt,
      };
    }
  }
  // Column chunk metadata.
  for (const column of ['frame', 'type', 'x'] as const) {
    for (const chunk of [
      { totalCompressedSize: 0 },
      { totalCompressedSize: 2 ** 40 },
      { totalCompressedSize: -5 },
      { dataPageOffset: 0 },
      { dataPageOffset: -1 },
      { dataPageOffset: 2 ** 40 },
      { dataPageOffset: 5 },
      { dictionaryPageOffset: 5 },
      { dictionaryPageOffset: null },
      { numValues: 2 ** 40 },
      { omitMetadata: true },
    ]) {
      yield {
        name: `${column} chunk ${JSON.stringify(chunk)}`,
        lies: { columns: { [column]: { chunk } } },
        expect: correctOrCorrupt,
      };
    }
  }
  // The footer's row counts and its own length.
  const rows = base.table.frame.length;
  for (const numRows of [0, rows - 1, rows + 1, MAX_ROWS + 1, 2 ** 53 - 1, -1]) {
    const expect: Expectation =
      numRows === 0
        ? { codes: ['no_frames', 'corrupt'] }
        : numRows === MAX_ROWS + 1 || numRows === 2 ** 53 - 1
          ? { codes: ['too_many_frames', 'corrupt'] }
          : CORRUPT;
    yield { name: `footer num_rows ${numRows}`, lies: { file: { numRows } }, expect };
  }
  // The footer keeps the true total: one lie at a time.
  for (const groupRows of [0, 1, rows + 1, 2 ** 40, -1]) {
    yield {
      name: `row group 0 num_rows ${groupRows}`,
      lies: { rowGroupRows: { 0: groupRows }, file: { numRows: rows } },
      expect: CORRUPT,
    };
  }
  for (const footerLength of [0, 1, 2 ** 31 - 1, 2 ** 32 - 1]) {
    yield { name: `footer length ${footerLength}`, lies: { file: { footerLength } }, expect: CORRUPT };
  }
}

function layoutHasDictionary(layout: Layout, column: ColumnName): boolean {
  const e = layout.encodings[column];
  return e === ENC.RLE_DICTIONARY || e === ENC.PLAIN_DICTIONARY;
}

/** Lies inside encoded values: delta headers, string lengths, RLE runs, Snappy's length preamble. */
function* valueLies(
  base: Base,
  layout: Layout,
): Generator<{ name: string; lies: FileLies; expect: Expectation }> {
  const corrupt = CORRUPT;
  const correctOrCorrupt: Expectation = { codes: ['corrupt'], clip: base.clip };
  const types = base.table.type.slice(
    0,
    Math.ceil(base.table.type.length / layout.rowGroups / layout.pagesPerChunk),
  );
  if (layout.encodings.type === ENC.DELTA_BYTE_ARRAY) {
    for (const [label, prefixes] of [
      ['a 256 MB prefix', types.map((_, i) => (i === 0 ? 0 : 2 ** 28))],
      ['a prefix one longer than the value before', types.map((_, i) => (i === 1 ? 10 : 0))],
      ['a first value with a prefix', types.map(() => 1)],
      ['a negative prefix', types.map((_, i) => (i === 2 ? -1 : 0))],
    ] as const) {
      yield {
        name: `type DELTA_BYTE_ARRAY ${label}`,
        lies: {
          columns: { type: { values: { 0: () => deltaByteArray(types, { prefixes: [...prefixes] }) } } },
        },
        expect: corrupt,
      };
    }
    for (const [label, suffixLengths] of [
      ['suffixes longer than the page', types.map(() => 2 ** 30)],
      ['a negative suffix', types.map((_, i) => (i === 3 ? -4 : 4))],
    ] as const) {
      yield {
        name: `type DELTA_BYTE_ARRAY ${label}`,
        lies: {
          columns: {
            type: { values: { 0: () => deltaByteArray(types, { suffixLengths: [...suffixLengths] }) } },
          },
        },
        expect: corrupt,
      };
    }
  }
  if (layout.encodings.type === ENC.DELTA_LENGTH_BYTE_ARRAY) {
    yield {
      name: 'type DELTA_LENGTH_BYTE_ARRAY lengths past the page',
      lies: {
        columns: {
          type: {
            values: {
              0: () =>
                deltaLengthByteArray(
                  types,
                  types.map(() => 2 ** 30),
                ),
            },
          },
        },
      },
      expect: corrupt,
    };
    yield {
      name: 'type DELTA_LENGTH_BYTE_ARRAY a negative length',
      lies: {
        columns: {
          type: {
            values: {
              0: () =>
                deltaLengthByteArray(
                  types,
                  types.map((_, i) => (i === 5 ? -3 : 4)),
                ),
            },
          },
        },
      },
      expect: corrupt,
    };
  }
  const deltaColumn = (['frame', 'landmark_index'] as const).find(
    (c) => layout.encodings[c] === ENC.DELTA_BINARY_PACKED,
  );
  if (deltaColumn !== undefined) {
    const values = (deltaColumn === 'frame' ? base.table.frame : base.table.landmarkIndex).slice(
      0,
      types.length,
    );
    const int32 = layout.intKind === 'INT32';
    for (const [label, options, expect] of [
      ['block size 0', { blockSize: 0 }, corrupt],
      ['block size 127', { blockSize: 127, miniblocks: 1 }, corrupt],
      // Valid headers for another layout than the values have: they decode to other numbers.
      ['block size 2^31', { blockSize: 2 ** 31, miniblocks: 4 }, ANY],
      ['2^20 miniblocks', { blockSize: 2 ** 25, miniblocks: 2 ** 20 }, ANY],
      ['0 miniblocks', { miniblocks: 0 }, corrupt],
      ['3 miniblocks', { miniblocks: 3 }, corrupt],
      ['a count one short', { totalCount: values.length - 1 }, corrupt],
      ['a count of 2^31', { totalCount: 2 ** 31 }, corrupt],
      ['65-bit values', { bitWidth: 65 }, corrupt],
      ['255-bit values', { bitWidth: 255 }, corrupt],
    ] as const) {
      yield {
        name: `${deltaColumn} DELTA_BINARY_PACKED ${label}`,
        lies: {
          columns: {
            [deltaColumn]: { values: { 0: () => deltaBinaryPacked(values, { ...options, int32 }) } },
          },
        },
        expect,
      };
    }
    yield {
      name: `${deltaColumn} DELTA_BINARY_PACKED cut after its header`,
      lies: { columns: { [deltaColumn]: { values: { 0: (bytes: Uint8Array) => bytes.subarray(0, 6) } } } },
      expect: corrupt,
    };
  }
  // Plain strings whose length prefix lies.
  for (const length of [2 ** 31, 2 ** 32 - 1, 11]) {
    yield {
      name: `type PLAIN string length ${length}`,
      lies: {
        encodings: { type: ENC.PLAIN },
        columns: {
          type: {
            values: {
              0: () => {
                const bytes = plainStrings(types);
                new DataView(bytes.buffer).setUint32(0, length, true);
                return bytes;
              },
            },
          },
        },
      },
      expect: corrupt,
    };
  }
  // Definition levels: a run claiming 2^31 values, a bit-packed run past the page, a v1 length prefix past the page.
  yield {
    name: 'x definition levels: a run of 2^31 values',
    lies: { columns: { x: { levels: { 0: () => new Uint8Array([0x80, 0x80, 0x80, 0x80, 0x10, 0x01]) } } } },
    expect: correctOrCorrupt,
  };
  yield {
    name: 'x definition levels: a bit-packed run past the page',
    lies: { columns: { x: { levels: { 0: () => new Uint8Array([0xff, 0xff, 0x03, 0x00]) } } } },
    expect: corrupt,
  };
  // Dictionary indices: a bit width beyond 32, and an index past the dictionary.
  if (layoutHasDictionary(layout, 'x')) {
    yield {
      name: 'x dictionary indices 33 bits wide',
      lies: {
        columns: { x: { values: { 0: (bytes: Uint8Array) => Uint8Array.of(33, ...bytes.subarray(1)) } } },
      },
      expect: corrupt,
    };
    yield {
      name: 'x dictionary index past the dictionary',
      lies: {
        columns: {
          x: { values: { 0: (_: Uint8Array, present) => Uint8Array.of(16, present.length * 2, 0xff, 0xff) } },
        },
      },
      expect: corrupt,
    };
  }
  if (layoutHasDictionary(layout, 'type')) {
    yield {
      name: 'type dictionary index past the dictionary',
      lies: {
        columns: {
          type: { values: { 0: (_: Uint8Array, present) => Uint8Array.of(8, present.length * 2, 200) } },
        },
      },
      expect: corrupt,
    };
  }
  // Snappy's declared length.
  if (layout.codec === CODEC.SNAPPY) {
    for (const declared of [0, 2 ** 28, 2 ** 32 - 1]) {
      yield {
        name: `z Snappy declares ${declared} bytes`,
        lies: {
          columns: {
            z: {
              storedBytes: {
                0: (bytes: Uint8Array) => {
                  let skip = 0;
                  while (bytes[skip]! >= 0x80) skip++;
                  const preamble: number[] = [];
                  let v = declared;
                  do {
                    preamble.push((v % 128) | (v >= 128 ? 0x80 : 0));
                    v = Math.floor(v / 128);
                  } while (v > 0);
                  return Uint8Array.from([...preamble, ...bytes.subarray(skip + 1)]);
                },
              },
            },
          },
        },
        expect: corrupt,
      };
    }
  }
}

function* parquetOf(base: Base, layout: Layout): Generator<HostileCase> {
  const built = landmarkParquet(base.table, layout);
  const name = (what: string) => `${layout.name}: ${what}`;
  yield {
    name: name('as written'),
    category: 'valid',
    format: 'parquet',
    bytes: built.bytes,
    expect: { clip: base.clip },
  };
  for (const cut of cutPoints(built.regions, built.bytes.length)) {
    yield {
      name: name(`truncated to ${cut} bytes`),
      category: 'truncation',
      format: 'parquet',
      bytes: built.bytes.slice(0, cut),
      expect: { codes: [cut < 4 ? 'not_parquet' : 'corrupt'] },
    };
  }
  for (const { offset, region } of structuralOffsets(built.regions)) {
    const expect: Expectation =
      region.label !== 'magic' ? ANY : { codes: [offset < 4 ? 'not_parquet' : 'corrupt'] };
    yield {
      name: name(`bit flip at ${offset} (${region.label})`),
      category: 'bit-flip',
      format: 'parquet',
      bytes: flipped(built.bytes, offset),
      expect,
    };
  }
  for (const lie of parquetLies(base, layout, built)) {
    yield {
      name: name(lie.name),
      category: 'lying-length',
      format: 'parquet',
      bytes: landmarkParquet(base.table, layout, lie.lies).bytes,
      expect: lie.expect ?? CORRUPT,
    };
  }
  for (const lie of valueLies(base, layout)) {
    yield {
      name: name(lie.name),
      category: 'lying-length',
      format: 'parquet',
      bytes: landmarkParquet(base.table, layout, lie.lies).bytes,
      expect: lie.expect,
    };
  }
}

/** A table with some values replaced, as the same layout writes it. */
function edited(base: Base, edit: (t: LandmarkTable) => void): LandmarkTable {
  const t: LandmarkTable = {
    frame: [...base.table.frame],
    type: [...base.table.type],
    landmarkIndex: [...base.table.landmarkIndex],
    x: [...base.table.x],
    y: [...base.table.y],
    z: [...base.table.z],
  };
  edit(t);
  return t;
}

const PRESENT_ROW = 5; // a face row, present in both frames

function* valueCases(
  base: Base,
): Generator<{ name: string; category: string; table: LandmarkTable; expect: Expectation }> {
  const face = (t: LandmarkTable, v: number | null, axis: 'x' | 'y' | 'z' = 'x') => {
    for (let r = 0; r < t.x.length; r++) if (t.type[r] === 'face' && t[axis][r] !== null) t[axis][r] = v;
  };
  for (const v of [1e10, 1e19, 3e38, -11, 10.5]) {
    yield {
      name: `x = ${v} in every face row`,
      category: 'extreme-value',
      table: edited(base, (t) => face(t, v)),
      expect: { codes: ['coordinate_out_of_range'] },
    };
  }
  yield {
    name: 'z = -51 in one row',
    category: 'extreme-value',
    table: edited(base, (t) => (t.z[PRESENT_ROW] = -51)),
    expect: { codes: ['coordinate_out_of_range'] },
  };
  for (const v of [Infinity, -Infinity, 1e39]) {
    yield {
      name: `y = ${v} in one row`,
      category: 'extreme-value',
      table: edited(base, (t) => (t.y[PRESENT_ROW] = v)),
      expect: { codes: ['non_finite', 'coordinate_out_of_range'] },
    };
  }
  const nullAll = (t: LandmarkTable) =>
    t.x.forEach((_, r) => ((t.x[r] = null), (t.y[r] = null), (t.z[r] = null)));
  yield {
    name: 'every landmark null',
    category: 'extreme-value',
    table: edited(base, nullAll),
    expect: { codes: ['no_landmarks'] },
  };
  const nanAll = (t: LandmarkTable) =>
    t.x.forEach((_, r) => ((t.x[r] = NaN), (t.y[r] = NaN), (t.z[r] = NaN)));
  yield {
    name: 'every coordinate NaN',
    category: 'extreme-value',
    table: edited(base, nanAll),
    expect: { codes: ['no_landmarks'] },
  };
  const tiny = edited(
    base,
    (t) => ((t.x[PRESENT_ROW] = -0), (t.y[PRESENT_ROW] = 5e-324), (t.z[PRESENT_ROW] = -50)),
  );
  const tinyClip = { ...base.clip, data: base.clip.data.slice() };
  tinyClip.data.set([-0, 0, -50], PRESENT_ROW * 3);
  yield {
    name: '-0, a denormal and z at the limit',
    category: 'extreme-value',
    table: tiny,
    expect: { clip: tinyClip },
  };
  // Out-of-range values where an index is expected.
  for (const index of [468, -1, 2 ** 31 - 1]) {
    yield {
      name: `face landmark_index ${index}`,
      category: 'out-of-range-index',
      table: edited(base, (t) => (t.landmarkIndex[PRESENT_ROW] = index)),
      expect: { codes: ['landmark_index_out_of_range'] },
    };
  }
  yield {
    name: 'frame 2^31-1 in one row',
    category: 'out-of-range-index',
    table: edited(base, (t) => (t.frame[PRESENT_ROW] = 2 ** 31 - 1)),
    expect: { codes: ['too_many_frames'] },
  };
  yield {
    name: 'frame -2^31 in one row',
    category: 'out-of-range-index',
    table: edited(base, (t) => (t.frame[PRESENT_ROW] = -(2 ** 31))),
    expect: { codes: ['too_many_frames'] },
  };
  yield {
    name: 'a type of 4 NUL bytes',
    category: 'out-of-range-index',
    table: edited(base, (t) => (t.type[PRESENT_ROW] = new Uint8Array(4))),
    expect: { codes: ['unknown_type'] },
  };
  yield {
    name: 'a 5000-byte type',
    category: 'out-of-range-index',
    table: edited(base, (t) => (t.type[PRESENT_ROW] = 'f'.repeat(5000))),
    expect: { codes: ['unknown_type', 'corrupt'] },
  };
  yield {
    name: 'a duplicated row',
    category: 'out-of-range-index',
    table: edited(base, (t) => (t.landmarkIndex[PRESENT_ROW] = t.landmarkIndex[PRESENT_ROW - 1]!)),
    expect: { codes: ['duplicate_landmark'] },
  };
}

function* unsupportedParquet(base: Base): Generator<HostileCase> {
  const layout = LAYOUTS[0]!;
  const make = (
    name: string,
    lies: FileLies,
    expect: Expectation,
    category = 'unsupported',
  ): HostileCase => ({
    name: `${layout.name}: ${name}`,
    category,
    format: 'parquet',
    bytes: landmarkParquet(base.table, layout, lies).bytes,
    expect,
  });
  for (const [codec, label] of [
    [CODEC.GZIP, 'GZIP'],
    [CODEC.LZO, 'LZO'],
    [CODEC.BROTLI, 'BROTLI'],
    [CODEC.LZ4, 'LZ4'],
    [CODEC.ZSTD, 'ZSTD'],
    [CODEC.LZ4_RAW, 'LZ4_RAW'],
    [99, 'codec #99'],
  ] as const) {
    yield make(
      `codec ${label} in the chunk metadata`,
      { columns: { x: { chunk: { codec } } } },
      { codes: ['unsupported'] },
    );
  }
  for (const [encoding, label] of [
    [ENC.BIT_PACKED, 'BIT_PACKED'],
    [ENC.RLE, 'RLE'],
    [ENC.DELTA_BYTE_ARRAY, 'DELTA_BYTE_ARRAY'],
    [99, '#99'],
  ] as const) {
    yield make(
      `x page says ${label}`,
      { columns: { x: { page: { 0: { encoding } } } } },
      { codes: ['unsupported'] },
    );
  }
  yield make(
    'type page says BYTE_STREAM_SPLIT',
    { columns: { type: { page: { 0: { encoding: ENC.BYTE_STREAM_SPLIT } } } } },
    { codes: ['unsupported'] },
  );
  yield make(
    'definition levels BIT_PACKED',
    { columns: { x: { page: { 0: { definitionLevelEncoding: ENC.BIT_PACKED } } } } },
    { codes: ['unsupported'] },
  );
  yield make(
    'the dictionary page says RLE',
    { columns: { type: { page: { [-1]: { encoding: ENC.RLE } } } } },
    { codes: ['unsupported'] },
  );
  for (const [type, label] of [
    [TYPE.INT96, 'INT96'],
    [TYPE.FIXED_LEN_BYTE_ARRAY, 'FIXED_LEN_BYTE_ARRAY'],
    [0, 'BOOLEAN'],
    [TYPE.BYTE_ARRAY, 'BYTE_ARRAY'],
  ] as const) {
    yield make(`x declared ${label}`, { columns: { x: { type } } }, { codes: ['bad_column_type'] });
  }
  yield make('x REPEATED', { columns: { x: { repetition: REP.REPEATED } } }, { codes: ['bad_column_type'] });
  yield make(
    'the chunk type disagrees with the schema',
    { columns: { z: { chunk: { type: TYPE.FLOAT } } } },
    { codes: ['corrupt'] },
  );
  yield make(
    'x lives in another file',
    { columns: { x: { chunk: { filePath: 'other.parquet' } } } },
    { codes: ['unsupported'] },
  );
}

/** Schemas and footers nested far deeper than parquet's metadata ever is. */
function* deepParquet(base: Base): Generator<HostileCase> {
  const layout = LAYOUTS[0]!;
  const make = (name: string, lies: FileLies, expect: Expectation): HostileCase => ({
    name: `${layout.name}: ${name}`,
    category: 'deep-nesting',
    format: 'parquet',
    bytes: landmarkParquet(base.table, layout, lies).bytes,
    expect,
  });
  // Written as raw bytes: a writer recursing 5000 levels would overflow its own stack.
  const depth = 5000;
  const structs = new Uint8Array(2 * depth + 1);
  structs.fill(0x1c, 0, depth); // field 1, a struct, again and again; then every struct's STOP
  yield make(
    'an unknown footer field nested 5000 structs deep',
    { file: { footerExtra: [{ id: 50, value: { t: 'raw', type: T.STRUCT, v: structs } }] } },
    CORRUPT,
  );
  const lists = new Uint8Array(depth + 2).fill(0x19); // a list of one list, ...
  lists.set([0x15, 0x02], depth); // ... of one i32
  yield make(
    'an unknown footer field of lists 5000 deep',
    { file: { footerExtra: [{ id: 51, value: { t: 'raw', type: T.LIST, v: lists } }] } },
    CORRUPT,
  );
  // Many empty structs in an unknown field: valid thrift, skipped without building them.
  const empties = {
    t: 'list',
    elementType: T.STRUCT,
    v: Array.from({ length: 300_000 }, () => struct()),
  } as const;
  yield make(
    'an unknown footer field of 300,000 empty structs',
    { file: { footerExtra: [{ id: 52, value: empties }] } },
    { clip: base.clip },
  );
  yield make(
    'a list header claiming 2^31 elements',
    {
      file: {
        footerExtra: [
          {
            id: 53,
            value: { t: 'raw', type: T.LIST, v: new Uint8Array([0xf5, 0x80, 0x80, 0x80, 0x80, 0x08]) },
          },
        ],
      },
    },
    CORRUPT,
  );
  // A schema whose x column sits under 300 nested groups.
  const groups: ThriftValue[] = [struct(field(4, binary('schema')), field(5, int(6)))];
  for (const name of ['frame', 'type', 'landmark_index', 'y', 'z']) {
    groups.push(
      struct(
        field(
          1,
          int(name === 'type' ? TYPE.BYTE_ARRAY : name === 'y' || name === 'z' ? TYPE.DOUBLE : TYPE.INT32),
        ),
        field(3, int(name === 'y' || name === 'z' ? 1 : 0)),
        field(4, binary(name)),
      ),
    );
  }
  for (let i = 0; i < 300; i++)
    groups.push(struct(field(3, int(1)), field(4, binary(i === 0 ? 'x' : `g${i}`)), field(5, int(1))));
  groups.push(struct(field(1, int(TYPE.DOUBLE)), field(3, int(1)), field(4, binary('leaf'))));
  yield make(
    'x nested under 300 groups',
    { file: { schema: groups } },
    { codes: ['bad_column_type', 'missing_column', 'corrupt'] },
  );
  yield make(
    'a schema of 5000 elements',
    { file: { schema: Array.from({ length: 5000 }, () => struct(field(4, binary('c')))) } },
    { codes: ['corrupt'] },
  );
}

export function* parquetCases(base: Base): Generator<HostileCase> {
  for (const layout of LAYOUTS) yield* parquetOf(base, layout);
  for (const layout of LAYOUTS) {
    for (const v of valueCases(base)) {
      yield {
        name: `${layout.name}: ${v.name}`,
        category: v.category,
        format: 'parquet',
        bytes: landmarkParquet(v.table, layout).bytes,
        expect: v.expect,
      };
    }
  }
  yield* unsupportedParquet(base);
  yield* deepParquet(base);
  yield {
    name: 'the 841-byte file of issue 13 (256 MB delta prefixes)',
    category: 'lying-length',
    format: 'parquet',
    bytes: craftedDeltaPrefixFile(),
    expect: CORRUPT,
  };
  yield {
    name: 'the same with 1 GB prefixes',
    category: 'lying-length',
    format: 'parquet',
    bytes: craftedDeltaPrefixFile(2 ** 30),
    expect: CORRUPT,
  };
  const footerOnly = landmarkParquet(base.table, LAYOUTS[0]!, {
    file: { footerBytes: () => new Uint8Array(0) },
  }).bytes;
  yield {
    name: 'a footer of length 0',
    category: 'lying-length',
    format: 'parquet',
    bytes: footerOnly,
    expect: CORRUPT,
  };
  yield {
    name: 'PAR1 alone',
    category: 'truncation',
    format: 'parquet',
    bytes: new TextEncoder().encode('PAR1'),
    expect: CORRUPT,
  };
  yield {
    name: 'PAR1PAR1',
    category: 'truncation',
    format: 'parquet',
    bytes: new TextEncoder().encode('PAR1PAR1'),
    expect: CORRUPT,
  };
  yield {
    name: 'PAR1, a zero footer length, PAR1',
    category: 'lying-length',
    format: 'parquet',
    bytes: Uint8Array.of(80, 65, 82, 49, 0, 0, 0, 0, 80, 65, 82, 49),
    expect: CORRUPT,
  };
}

// ---- Arrow ----------------------------------------------------------------------------------

const ARROW_LIES = [-1n, 0n, 1n, 7n, 2n ** 31n - 1n, 2n ** 40n];

function* arrowOf(base: Base, layout: ArrowLayout): Generator<HostileCase> {
  const bytes = landmarkArrow(base.table, layout);
  const structure = ipcStructure(bytes, layout.format);
  const name = (what: string) => `${layout.name}: ${what}`;
  const notArrowBelow = layout.format === 'file' ? 6 : 8;
  // A stream cut after its last record batch (only the end-of-stream marker lost) is still whole.
  const lastBody = Math.max(...structure.regions.filter((r) => / body$/.test(r.label)).map((r) => r.end));
  yield { name: name('as written'), category: 'valid', format: 'arrow', bytes, expect: { clip: base.clip } };
  for (const cut of cutPoints(structure.regions, bytes.length)) {
    const whole = layout.format === 'stream' && cut === lastBody;
    const partialEnd = layout.format === 'stream' && cut > lastBody;
    yield {
      name: name(`truncated to ${cut} bytes`),
      category: 'truncation',
      format: 'arrow',
      bytes: bytes.slice(0, cut),
      expect:
        cut < notArrowBelow
          ? { codes: ['not_arrow'] }
          : whole
            ? { clip: base.clip }
            : partialEnd
              ? { codes: ['corrupt'], clip: base.clip }
              : { codes: ['corrupt', 'missing_column', 'no_frames'] },
    };
  }
  for (const { offset, region } of structuralOffsets(structure.regions)) {
    yield {
      name: name(`bit flip at ${offset} (${region.label})`),
      category: 'bit-flip',
      format: 'arrow',
      bytes: flipped(bytes, offset),
      expect: ANY,
    };
  }
  for (const length of structure.lengths) {
    const truth = readLength(bytes, length);
    for (const lie of [...ARROW_LIES, truth + 1n, truth * 2n + 64n]) {
      if (lie === truth) continue;
      yield {
        name: name(`${length.label} ${truth} -> ${lie}`),
        category: 'lying-length',
        format: 'arrow',
        bytes: withLength(bytes, length, lie),
        // A metadata length of 0 is an end-of-stream marker: what follows is not part of the stream.
        expect: { codes: ['corrupt', 'no_frames', 'too_many_frames', 'missing_column'], clip: base.clip },
      };
    }
  }
}

export function* arrowCases(base: Base): Generator<HostileCase> {
  for (const layout of ARROW_LAYOUTS) yield* arrowOf(base, layout);
  yield {
    name: 'arrow-stream: a compressed body',
    category: 'unsupported',
    format: 'arrow',
    bytes: landmarkArrow(base.table, { ...ARROW_LAYOUTS[0]!, compressed: true }),
    expect: { codes: ['unsupported'] },
  };
  // The int64 layout: an int16 column would wrap the out-of-range values before we see them.
  const wide = ARROW_LAYOUTS[1]!;
  for (const v of valueCases(base)) {
    yield {
      name: `${wide.name}: ${v.name}`,
      category: v.category,
      format: 'arrow',
      bytes: landmarkArrow(v.table, wide),
      expect: v.expect,
    };
  }
}

// ---- JSON -----------------------------------------------------------------------------------

const enc = (text: string): Uint8Array => new TextEncoder().encode(text);

export function* jsonCases(base: Base): Generator<HostileCase> {
  const frames = base.frames;
  const text = JSON.stringify({ frames });
  const clip: Clip = { ...base.clip, firstFrame: 0 };
  yield { name: 'json: as written', category: 'valid', format: 'json', bytes: enc(text), expect: { clip } };
  // Truncation and a flipped bit at every structural character of the first frame's head and the end.
  const structural: number[] = [];
  for (let i = 0; i < text.length; i++)
    if ('{}[],:"'.includes(text[i]!) && (i < 400 || i > text.length - 400)) structural.push(i);
  for (const i of structural) {
    yield {
      name: `json: truncated to ${i} characters`,
      category: 'truncation',
      format: 'json',
      bytes: enc(text.slice(0, i)),
      expect: { codes: ['invalid_json'] },
    };
    const bytes = enc(text);
    bytes[i]! ^= 1 << (i % 7);
    yield { name: `json: bit flip at ${i}`, category: 'bit-flip', format: 'json', bytes, expect: ANY };
  }
  const one = JSON.stringify(frames[1]);
  const body = (inner: string) => enc(`{"frames":[${inner}]}`);
  const point = (p: string) => body(one.replace(/\[[^[\]]+\]/, p));
  for (const [p, codes] of [
    ['[1e400,0,0]', ['non_finite']],
    ['[-1e400,0,0]', ['non_finite']],
    ['[1e39,0,0]', ['non_finite']],
    ['[1e10,0,0]', ['coordinate_out_of_range']],
    ['[0,0,3e38]', ['coordinate_out_of_range']],
    ['[1e999999999,0,0]', ['non_finite']],
    [`[0.${'1'.repeat(100_000)},0,0]`, undefined],
    [`[${'9'.repeat(400)},0,0]`, ['non_finite']],
    ['[0,0]', ['bad_shape']],
    ['[0,0,0,0]', ['bad_shape']],
    ['["0",0,0]', ['bad_shape']],
    ['[true,0,0]', ['bad_shape']],
    ['{"x":0}', ['bad_shape']],
    ['[NaN,0,0]', ['invalid_json']],
    ['[Infinity,0,0]', ['invalid_json']],
    ['[0x10,0,0]', ['invalid_json']],
    ['[01,0,0]', ['invalid_json']],
    ['[1.,0,0]', ['invalid_json']],
    ['[-,0,0]', ['invalid_json']],
    ['[1e,0,0]', ['invalid_json']],
  ] as const) {
    yield {
      name: `json: a point ${p.length > 40 ? `${p.slice(0, 40)}...` : p}`,
      category: 'extreme-value',
      format: 'json',
      bytes: point(p),
      expect: codes === undefined ? ANY : { codes: [...codes] },
    };
  }
  const nulls = JSON.stringify(Array.from({ length: POINTS_PER_FRAME }, () => null));
  yield {
    name: 'json: no landmark in any frame',
    category: 'extreme-value',
    format: 'json',
    bytes: body(`${nulls},${nulls}`),
    expect: { codes: ['no_landmarks'] },
  };
  yield {
    name: 'json: 1001 frames',
    category: 'out-of-range-index',
    format: 'json',
    bytes: body(Array.from({ length: 1001 }, () => one).join(',')),
    expect: { codes: ['too_many_frames'] },
  };
  yield {
    name: 'json: 542 points',
    category: 'out-of-range-index',
    format: 'json',
    bytes: body(`[${one.slice(one.indexOf('],') + 2)}`),
    expect: { codes: ['bad_shape'] },
  };
  yield {
    name: 'json: 100,000 points',
    category: 'out-of-range-index',
    format: 'json',
    bytes: body(`[${'null,'.repeat(99_999)}null]`),
    expect: { codes: ['bad_shape'] },
  };
  yield {
    name: 'json: 2,000,000 empty frames',
    category: 'out-of-range-index',
    format: 'json',
    bytes: body(`${'[],'.repeat(2_000_000)}[]`),
    expect: { codes: ['bad_shape'] },
  };
  for (const depth of [5, 100, 100_000, 3_000_000]) {
    yield {
      name: `json: "frames" nested ${depth} arrays deep`,
      category: 'deep-nesting',
      format: 'json',
      bytes: enc(`{"frames":${'['.repeat(depth)}${']'.repeat(depth)}}`),
      expect: { codes: ['bad_shape'] },
    };
    const extra = enc(`{"x":${'{"a":'.repeat(depth)}1${'}'.repeat(depth)},"frames":[${one}]}`);
    yield {
      name: `json: an extra key nested ${depth} deep`,
      category: 'deep-nesting',
      format: 'json',
      bytes: extra,
      expect:
        extra.length > 16 * 1024 * 1024
          ? { codes: ['file_too_large'] }
          : { clip: { frameCount: 1, firstFrame: 0, data: clip.data.slice(clip.data.length / 2) } },
    };
    yield {
      name: `json: ${depth} unclosed brackets`,
      category: 'deep-nesting',
      format: 'json',
      bytes: enc('['.repeat(depth)),
      expect: { codes: ['invalid_json'] },
    };
  }
  yield {
    name: 'json: a top-level array',
    category: 'unsupported',
    format: 'json',
    bytes: enc(`[${one}]`),
    expect: { codes: ['bad_shape'] },
  };
  yield {
    name: 'json: a string of 4 MB',
    category: 'unsupported',
    format: 'json',
    bytes: enc(`{"note":"${'a'.repeat(4_000_000)}","frames":[${one}]}`),
    expect: { clip: { frameCount: 1, firstFrame: 0, data: clip.data.slice(clip.data.length / 2) } },
  };
  yield {
    name: 'json: invalid UTF-8',
    category: 'unsupported',
    format: 'json',
    bytes: Uint8Array.of(0x7b, 0x22, 0xc3, 0x28, 0x22, 0x3a, 0x31, 0x7d),
    expect: { codes: ['invalid_json'] },
  };
  yield {
    name: 'json: UTF-16',
    category: 'unsupported',
    format: 'json',
    bytes: new Uint8Array(new Uint16Array([...`{"frames":[${one}]}`].map((c) => c.charCodeAt(0))).buffer),
    expect: { codes: ['invalid_json'] },
  };
  yield {
    name: 'json: a lone surrogate escape in a key',
    category: 'unsupported',
    format: 'json',
    bytes: enc(`{"\\ud800":1,"frames":[${one}]}`),
    expect: { clip: { frameCount: 1, firstFrame: 0, data: clip.data.slice(clip.data.length / 2) } },
  };
  yield {
    name: 'json: a control character in a string',
    category: 'unsupported',
    format: 'json',
    bytes: enc(`{"a\tb":1,"frames":[${one}]}`),
    expect: { codes: ['invalid_json'] },
  };
  yield {
    name: 'json: "frames" twice (the last counts)',
    category: 'unsupported',
    format: 'json',
    bytes: enc(`{"frames":[${nulls}],"frames":[${one}]}`),
    expect: { clip: { frameCount: 1, firstFrame: 0, data: clip.data.slice(clip.data.length / 2) } },
  };
  yield {
    name: 'json: 16 MiB of spaces',
    category: 'extreme-value',
    format: 'json',
    bytes: new Uint8Array(16 * 1024 * 1024).fill(0x20),
    expect: { codes: ['invalid_json'] },
  };
  yield {
    name: 'json: one byte over the body limit',
    category: 'extreme-value',
    format: 'json',
    bytes: new Uint8Array(16 * 1024 * 1024 + 1).fill(0x20),
    expect: { codes: ['file_too_large'] },
  };
}

/** The well-formed files every category damages: one per parquet and Arrow layout, and the JSON. */
export function baseFiles(
  base: Base = baseClip(),
): { readonly name: string; readonly format: HostileCase['format']; readonly bytes: Uint8Array }[] {
  return [
    ...LAYOUTS.map((layout) => ({
      name: layout.name,
      format: 'parquet' as const,
      bytes: landmarkParquet(base.table, layout).bytes,
    })),
    ...ARROW_LAYOUTS.map((layout) => ({
      name: layout.name,
      format: 'arrow' as const,
      bytes: landmarkArrow(base.table, layout),
    })),
    { name: 'json', format: 'json' as const, bytes: enc(JSON.stringify({ frames: base.frames })) },
  ];
}

export function* allCases(base: Base = baseClip()): Generator<HostileCase> {
  yield* parquetCases(base);
  yield* arrowCases(base);
  yield* jsonCases(base);
}
