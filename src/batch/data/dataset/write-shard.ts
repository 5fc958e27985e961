import { Float32, makeData, RecordBatch, Struct, Table, tableToIPC } from 'apache-arrow';
import type { FixedSizeList } from 'apache-arrow';
import { columnLengthProblem } from './shard-columns.ts';
import type { ShardColumns } from './shard-columns.ts';
import { SHARD_SCHEMA } from './shard-schema.ts';
import { writeFileAtomic } from './write-file-atomic.ts';

/** Encodes the rows as one record batch in the Arrow IPC file format; the typed arrays are not copied until serialisation. */
export function encodeShard(columns: ShardColumns): Uint8Array {
  const problem = columnLengthProblem(columns);
  if (problem !== null) throw new RangeError(`encodeShard: ${problem}`);
  const n = columns.length;
  const [sequenceId, participantId, label, frames, idxs] = SHARD_SCHEMA.fields;
  const listOf = (type: unknown, values: Float32Array) =>
    makeData({
      type: type as FixedSizeList<Float32>,
      length: n,
      nullCount: 0,
      child: makeData({ type: new Float32(), length: values.length, nullCount: 0, data: values }),
    });
  const data = makeData({
    type: new Struct(SHARD_SCHEMA.fields),
    length: n,
    nullCount: 0,
    children: [
      makeData({ type: sequenceId!.type, length: n, nullCount: 0, data: columns.sequenceId }),
      makeData({ type: participantId!.type, length: n, nullCount: 0, data: columns.participantId }),
      makeData({ type: label!.type, length: n, nullCount: 0, data: columns.label }),
      listOf(frames!.type, columns.frames),
      listOf(idxs!.type, columns.nonEmptyFrameIdxs),
    ],
  });
  return tableToIPC(new Table([new RecordBatch(SHARD_SCHEMA, data)]), 'file');
}

/** Writes a shard file atomically (tmp + rename). */
export async function writeShard(path: string, columns: ShardColumns): Promise<void> {
  await writeFileAtomic(path, encodeShard(columns));
}
