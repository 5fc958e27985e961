import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { tableFromIPC } from 'apache-arrow';
import type { Data, DataType, FixedSizeList, Table } from 'apache-arrow';
import { DatasetError } from './dataset-error.ts';
import { columnLengthProblem } from './shard-columns.ts';
import type { ShardColumns } from './shard-columns.ts';
import { SHARD_SCHEMA } from './shard-schema.ts';

/** Reads a shard file; the columns are views into the file's bytes. */
export function readShard(path: string): ShardColumns {
  return decodeShard(readShardBytes(path), path);
}

/**
 * A shard file's bytes in shared memory: a worker thread given them (the trainer's batch staging)
 * decodes the same rows without a copy.
 */
export function readShardBytes(path: string): Uint8Array {
  let fd: number | undefined;
  try {
    fd = openSync(path, 'r');
    const size = fstatSync(fd).size;
    const bytes = new Uint8Array(new SharedArrayBuffer(size));
    for (let at = 0; at < size;) {
      const n = readSync(fd, bytes, at, size - at, at);
      if (n === 0) throw new Error(`file ended at byte ${at} of ${size}`);
      at += n;
    }
    return bytes;
  } catch (err) {
    throw new DatasetError('shard_unreadable', path, (err as Error).message);
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/**
 * Decodes an Arrow IPC file shard. With one record batch (what the writer produces) every column is a
 * zero-copy view into `bytes`; shards from other writers with several batches are concatenated (copied).
 */
export function decodeShard(bytes: Uint8Array, source: string): ShardColumns {
  if (!hasFileMagic(bytes)) {
    throw new DatasetError(
      'shard_unreadable',
      source,
      'not an Arrow IPC file (no ARROW1 magic at both ends)',
    );
  }
  let table: Table;
  try {
    table = tableFromIPC(bytes);
  } catch (err) {
    throw new DatasetError('shard_unreadable', source, `not an Arrow IPC file: ${(err as Error).message}`);
  }
  checkSchema(table, source);
  const columns: ShardColumns = {
    length: table.numRows,
    sequenceId: leafValues(table, 0, source, BigInt64Array),
    participantId: leafValues(table, 1, source, Int32Array),
    label: leafValues(table, 2, source, Int16Array),
    frames: leafValues(table, 3, source, Float32Array),
    nonEmptyFrameIdxs: leafValues(table, 4, source, Float32Array),
  };
  const problem = columnLengthProblem(columns);
  if (problem !== null) throw new DatasetError('shard_schema', source, problem);
  return columns;
}

const MAGIC = [...'ARROW1'].map((c) => c.charCodeAt(0));

/** The IPC file format starts and ends with ARROW1; apache-arrow reads some junk as an empty table. */
function hasFileMagic(bytes: Uint8Array): boolean {
  if (bytes.length < 2 * MAGIC.length) return false;
  const tail = bytes.length - MAGIC.length;
  return MAGIC.every((c, i) => bytes[i] === c && bytes[tail + i] === c);
}

function checkSchema(table: Table, source: string): void {
  const want = SHARD_SCHEMA.fields.map((f) => `${f.name}: ${describe(f.type)}`);
  const got = table.schema.fields.map((f) => `${f.name}: ${describe(f.type)}`);
  if (want.join(', ') !== got.join(', ')) {
    throw new DatasetError(
      'shard_schema',
      source,
      `columns are {${got.join(', ')}}, expected {${want.join(', ')}}`,
    );
  }
}

function describe(type: DataType): string {
  // String(type) names the list size and child type too, e.g. FixedSizeList[12672]<Float32>.
  return String(type);
}

type LeafArray = BigInt64Array | Int32Array | Int16Array | Float32Array;
type LeafArrayClass<T extends LeafArray> = { new (length: number): T; readonly name: string };

/** The contiguous leaf values of column `index` (for a FixedSizeList, its child's values). */
function leafValues<T extends LeafArray>(
  table: Table,
  index: number,
  source: string,
  ctor: LeafArrayClass<T>,
): T {
  const name = table.schema.fields[index]!.name;
  const chunks = table.getChildAt(index)!.data.map((d) => {
    const values = leafOf(d, name, source);
    if (!(values instanceof ctor))
      throw new DatasetError('shard_schema', source, `${name} is not a ${ctor.name}`);
    return values;
  });
  if (chunks.length === 1) return chunks[0]!;
  const out = new ctor(chunks.reduce((sum, c) => sum + c.length, 0));
  let offset = 0;
  for (const chunk of chunks) {
    (out as unknown as { set(values: T, offset: number): void }).set(chunk, offset);
    offset += chunk.length;
  }
  return out;
}

function leafOf(data: Data, name: string, source: string): unknown {
  if (data.nullCount > 0) throw new DatasetError('shard_schema', source, `${name} has nulls`);
  const child = data.children[0];
  if (child === undefined) return data.values.subarray(0, data.length);
  if (child.nullCount > 0) throw new DatasetError('shard_schema', source, `${name} has null values`);
  // Batches read from IPC start at offset 0; the list's values are exactly its child's first length*size.
  const size = (data.type as FixedSizeList).listSize;
  return child.values.subarray(0, data.length * size);
}
