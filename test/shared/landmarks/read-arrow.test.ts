import {
  Dictionary,
  Float32,
  Float64,
  Int16,
  Int32,
  Int64,
  Uint16,
  LargeUtf8,
  Table,
  Utf8,
  tableToIPC,
  vectorFromArray,
  type DataType,
  type Vector,
} from 'apache-arrow';
import { beforeAll, describe, expect, it } from 'vitest';
import { Random } from '../../../src/batch/random/random.ts';
import type { Clip } from '../../../src/shared/landmarks/clip.ts';
import {
  LandmarkFileError,
  type LandmarkErrorCode,
} from '../../../src/shared/landmarks/landmark-file-error.ts';
import { readLandmarkArrow } from '../../../src/shared/landmarks/read-arrow.ts';
import { readLandmarkParquet } from '../../../src/shared/landmarks/read-parquet.ts';
import { hasRealData, readRealFile } from '../real-files.ts';
import { shuffled } from './parquet-variant.ts';
import { readRows, type LandmarkRow } from './real-rows.ts';
import { expectSameClip } from './tensor-compare.ts';

const PATH = 'train_landmark_files/2044/1813099846.parquet';
const NAME = 'clip.arrow';

let rows: LandmarkRow[];
let real: Clip;
let realBytes: Uint8Array;

beforeAll(async () => {
  realBytes = readRealFile(PATH);
  rows = await readRows(realBytes);
  real = await readLandmarkParquet(realBytes, PATH);
});

interface TableOptions {
  readonly integer?: DataType;
  readonly coordinate?: DataType;
  readonly typeColumn?: 'utf8' | 'large' | 'dictionary';
  readonly nanForNull?: boolean;
  readonly omit?: string;
  readonly xAsText?: boolean;
}

function landmarkTable(from: readonly LandmarkRow[], opts: TableOptions = {}): Table {
  const integer = opts.integer ?? new Int16();
  const coordinate = opts.coordinate ?? new Float64();
  const coords = (get: (r: LandmarkRow) => number | null): Vector =>
    opts.xAsText === true
      ? vectorFromArray(
          from.map((r) => String(get(r))),
          new Utf8(),
        )
      : vectorFromArray(
          from.map((r) => get(r) ?? (opts.nanForNull === true ? NaN : null)),
          coordinate,
        );
  const typeType =
    opts.typeColumn === 'dictionary'
      ? new Dictionary(new Utf8(), new Int32())
      : opts.typeColumn === 'large'
        ? new LargeUtf8()
        : new Utf8();
  const ints = (values: number[]): unknown[] =>
    integer instanceof Int64 ? values.map((v) => BigInt(v)) : values;
  const columns: Record<string, Vector> = {
    frame: vectorFromArray(ints(from.map((r) => r.frame)), integer),
    row_id: vectorFromArray(
      from.map((r) => r.row_id),
      new Utf8(),
    ),
    type: vectorFromArray(
      from.map((r) => r.type),
      typeType,
    ),
    landmark_index: vectorFromArray(ints(from.map((r) => r.landmark_index)), integer),
    x: coords((r) => r.x),
    y: coords((r) => r.y),
    z: coords((r) => r.z),
  };
  return new Table(Object.fromEntries(Object.entries(columns).filter(([name]) => name !== opts.omit)));
}

function expectError(bytes: Uint8Array, code: LandmarkErrorCode, source = NAME): LandmarkFileError {
  let caught: unknown;
  try {
    readLandmarkArrow(bytes, source);
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(LandmarkFileError);
  const error = caught as LandmarkFileError;
  expect(error.code).toBe(code);
  expect(error.source).toBe(source);
  expect(error.message).toContain(source);
  return error;
}

describe.skipIf(!hasRealData)('readLandmarkArrow', () => {
  it('reads the real clip from an IPC stream and an IPC file exactly like the parquet reader', () => {
    const table = landmarkTable(rows);
    expectSameClip(readLandmarkArrow(tableToIPC(table, 'stream'), NAME), real);
    expectSameClip(readLandmarkArrow(tableToIPC(table, 'file'), NAME), real);
  });

  it('accepts other column types: int32/int64/uint16 keys, float32 coordinates, large and dictionary text', () => {
    for (const opts of [
      { integer: new Int32(), coordinate: new Float32() },
      { integer: new Int64(), typeColumn: 'large' as const },
      { integer: new Uint16(), typeColumn: 'dictionary' as const },
    ]) {
      expectSameClip(readLandmarkArrow(tableToIPC(landmarkTable(rows, opts), 'stream'), NAME), real);
    }
  });

  it('NaN instead of null, rows in any order, several record batches', () => {
    const nan = landmarkTable(shuffled(rows), { nanForNull: true });
    expectSameClip(readLandmarkArrow(tableToIPC(nan, 'stream'), NAME), real);

    const half = Math.floor(rows.length / 2);
    const batched = new Table([
      ...landmarkTable(rows.slice(0, half)).batches,
      ...landmarkTable(rows.slice(half)).batches,
    ]);
    expect(batched.batches.length).toBe(2);
    expectSameClip(readLandmarkArrow(tableToIPC(batched, 'file'), NAME), real);
  });

  it('refuses bad tables with the same errors as the parquet reader', () => {
    const at = (i: number, change: Partial<LandmarkRow>): LandmarkRow[] =>
      rows.map((r, j) => (j === i ? { ...r, ...change } : r));
    const ipc = (t: Table): Uint8Array => tableToIPC(t, 'stream');
    expectError(ipc(landmarkTable(at(0, { landmark_index: 468 }))), 'landmark_index_out_of_range');
    const unknown = expectError(ipc(landmarkTable(at(7, { type: 'tail' }))), 'unknown_type');
    expect(unknown.message).toContain('tail');
    expectError(ipc(landmarkTable(at(7, { type: 'tail' }), { typeColumn: 'dictionary' })), 'unknown_type');
    expectError(ipc(landmarkTable([])), 'no_frames');
    expectError(ipc(landmarkTable(rows, { omit: 'landmark_index' })), 'missing_column');
    expectError(ipc(landmarkTable(rows, { xAsText: true })), 'bad_column_type');
    expectError(ipc(landmarkTable(rows, { integer: new Float64() })), 'bad_column_type');
    expectError(ipc(landmarkTable([...rows, rows[9]!])), 'duplicate_landmark');
  });

  it('random damage gives a clip or a LandmarkFileError; damaged metadata never reaches apache-arrow', () => {
    const rng = Random.seeded(7);
    const random = (n: number): number => rng.below(n);
    const guarded: string[] = [];
    for (const format of ['stream', 'file'] as const) {
      const original = tableToIPC(landmarkTable(rows), format);
      for (let trial = 0; trial < 200; trial++) {
        const bytes = original.slice();
        // Odd trials hit the metadata (the schema leads a stream and trails a file), even ones anywhere.
        const metadataSide = (at: number): number => (format === 'stream' ? at : bytes.length - 1 - at);
        for (let k = 1 + random(4); k > 0; k--) {
          const at = trial % 2 === 1 ? metadataSide(random(1000)) : random(bytes.length);
          bytes[at] = random(256);
        }
        try {
          readLandmarkArrow(bytes, NAME);
        } catch (error) {
          if (!(error instanceof LandmarkFileError)) throw error;
          if (/cannot fit|implausible|outside/.test(error.message)) guarded.push(error.message);
        }
      }
    }
    // Without the guard, some of these claim billions of children and exhaust the heap.
    expect(guarded.length).toBeGreaterThan(0);
  });

  it('refuses bytes that are not Arrow, and truncated Arrow', () => {
    expectError(realBytes, 'not_arrow', PATH);
    expectError(new TextEncoder().encode('{"frames": []}'), 'not_arrow', 'body.json');
    const stream = tableToIPC(landmarkTable(rows), 'stream');
    expectError(stream.subarray(0, stream.length - 100), 'corrupt');
    const file = tableToIPC(landmarkTable(rows), 'file');
    expectError(file.subarray(0, file.length - 10), 'corrupt');
  });
});
