import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Table, tableFromArrays, tableFromIPC, tableToIPC } from 'apache-arrow';
import type { RecordBatch } from 'apache-arrow';
import { afterAll, describe, expect, it } from 'vitest';
import { DatasetError } from '../../../../src/batch/data/dataset/dataset-error.ts';
import { decodeShard, readShard } from '../../../../src/batch/data/dataset/read-shard.ts';
import { rowFrames, rowNonEmptyFrameIdxs } from '../../../../src/batch/data/dataset/shard-columns.ts';
import type { ShardColumns } from '../../../../src/batch/data/dataset/shard-columns.ts';
import { FRAME_VALUES, IDX_VALUES } from '../../../../src/shared/bundle/model-contract.ts';
import { encodeShard, writeShard } from '../../../../src/batch/data/dataset/write-shard.ts';
import { errorCodeOf } from '../../error-code-of.ts';

const dir = mkdtempSync(join(tmpdir(), 'signcast-shard-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function columns(n: number, seed: number): ShardColumns {
  const frames = new Float32Array(n * FRAME_VALUES);
  for (let i = 0; i < frames.length; i++) frames[i] = Math.sin(i * 0.37 + seed);
  return {
    length: n,
    sequenceId: BigInt64Array.from({ length: n }, (_, i) => BigInt(4_294_967_000 + i * 1000 + seed)),
    participantId: Int32Array.from({ length: n }, (_, i) => 1000 + (i % 3)),
    label: Int16Array.from({ length: n }, (_, i) => (i % 4) - 1),
    frames,
    nonEmptyFrameIdxs: Float32Array.from({ length: n * IDX_VALUES }, (_, i) => (i % 5 === 0 ? -1 : i)),
  };
}

const codeOf = (fn: () => unknown): string => errorCodeOf(DatasetError, fn);

describe('shard files', () => {
  it('round-trips every column and keeps the contract schema', async () => {
    const original = columns(5, 1);
    const path = join(dir, 'a.arrow');
    await writeShard(path, original);
    const read = readShard(path);
    expect(read.length).toBe(5);
    expect(read.sequenceId).toEqual(original.sequenceId);
    expect(read.participantId).toEqual(original.participantId);
    expect(read.label).toEqual(original.label);
    expect(read.frames).toEqual(original.frames);
    expect(read.nonEmptyFrameIdxs).toEqual(original.nonEmptyFrameIdxs);
    expect(rowFrames(read, 3)).toEqual(original.frames.subarray(3 * FRAME_VALUES, 4 * FRAME_VALUES));
    expect(rowNonEmptyFrameIdxs(read, 4)).toEqual(original.nonEmptyFrameIdxs.subarray(4 * IDX_VALUES));
    const schema = tableFromIPC(readFileSync(path)).schema;
    expect(schema.fields.every((f) => !f.nullable)).toBe(true);
    expect(schema.fields.map((f) => `${f.name}:${String(f.type)}`).join(',')).toBe(
      'sequence_id:Int64,participant_id:Int32,label:Int16,frames:FixedSizeList[12672]<Float32>,non_empty_frame_idxs:FixedSizeList[64]<Float32>',
    );
  });

  it('reads columns as views into the file bytes (no copy)', () => {
    const bytes = encodeShard(columns(3, 2));
    const read = decodeShard(bytes, 'mem');
    for (const column of [
      read.frames,
      read.nonEmptyFrameIdxs,
      read.label,
      read.participantId,
      read.sequenceId,
    ]) {
      expect(column.buffer).toBe(bytes.buffer);
    }
  });

  it('writes and reads a shard with no rows', () => {
    const read = decodeShard(encodeShard(columns(0, 0)), 'empty');
    expect(read.length).toBe(0);
    expect(read.frames.length).toBe(0);
  });

  it('concatenates shards written with several record batches', () => {
    const a = decodeShard(encodeShard(columns(2, 3)), 'a');
    const b = decodeShard(encodeShard(columns(3, 4)), 'b');
    const table = new Table([...batchesOf(columns(2, 3)), ...batchesOf(columns(3, 4))]);
    expect(table.batches).toHaveLength(2);
    const read = decodeShard(tableToIPC(table, 'file'), 'two-batches');
    expect(read.length).toBe(5);
    expect(read.frames.subarray(0, 2 * FRAME_VALUES)).toEqual(a.frames);
    expect(read.frames.subarray(2 * FRAME_VALUES)).toEqual(b.frames);
    expect(read.sequenceId).toEqual(BigInt64Array.from([...a.sequenceId, ...b.sequenceId]));
  });

  it('refuses files that break the contract, naming them', () => {
    const other = tableToIPC(
      tableFromArrays({ sequence_id: new Float64Array([1]), label: new Int16Array([0]) }),
      'file',
    );
    expect(codeOf(() => decodeShard(other, 'other.arrow'))).toBe('shard_schema');
    expect(() => decodeShard(other, 'other.arrow')).toThrow(/^other\.arrow: /);
    expect(codeOf(() => decodeShard(new TextEncoder().encode('not arrow at all'), 'x.arrow'))).toBe(
      'shard_unreadable',
    );
    const bytes = encodeShard(columns(2, 5));
    expect(codeOf(() => decodeShard(bytes.subarray(0, bytes.length >> 1), 'cut.arrow'))).toBe(
      'shard_unreadable',
    );
    expect(codeOf(() => readShard(join(dir, 'missing.arrow')))).toBe('shard_unreadable');
    writeFileSync(join(dir, 'junk.arrow'), 'junk');
    expect(codeOf(() => readShard(join(dir, 'junk.arrow')))).toBe('shard_unreadable');
    expect(readFileSync(join(dir, 'a.arrow')).subarray(0, 6).toString()).toBe('ARROW1');
  });

  it('refuses columns of inconsistent lengths when writing', () => {
    const bad = { ...columns(2, 6), label: new Int16Array(3) };
    expect(() => encodeShard(bad)).toThrow(/label has 3 values/);
  });
});

function batchesOf(c: ShardColumns): RecordBatch[] {
  return tableFromIPC(encodeShard(c)).batches;
}
