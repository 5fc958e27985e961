import { FRAME_VALUES, IDX_VALUES } from '../../../shared/bundle/model-contract.ts';
import { COLUMN } from './shard-schema.ts';

/**
 * One shard's rows as flat typed arrays: row i's frames are `frames[i*FRAME_VALUES, (i+1)*FRAME_VALUES)`
 * (64x66x3 row-major) and its indices `nonEmptyFrameIdxs[i*IDX_VALUES, (i+1)*IDX_VALUES)`.
 * Read from a file, these are views into the file's bytes.
 */
export interface ShardColumns {
  readonly length: number;
  readonly sequenceId: BigInt64Array;
  readonly participantId: Int32Array;
  /** Index into the sign map; -1 when the sign is unknown. */
  readonly label: Int16Array;
  readonly frames: Float32Array;
  readonly nonEmptyFrameIdxs: Float32Array;
}

/** The lengths every column must have for `length` rows; shared by the writer's and reader's checks. */
export function columnLengthProblem(columns: ShardColumns): string | null {
  const n = columns.length;
  const expected: [string, number, number][] = [
    [COLUMN.sequenceId, columns.sequenceId.length, n],
    [COLUMN.participantId, columns.participantId.length, n],
    [COLUMN.label, columns.label.length, n],
    [COLUMN.frames, columns.frames.length, n * FRAME_VALUES],
    [COLUMN.nonEmptyFrameIdxs, columns.nonEmptyFrameIdxs.length, n * IDX_VALUES],
  ];
  for (const [name, actual, wanted] of expected) {
    if (actual !== wanted) return `${name} has ${actual} values, expected ${wanted} for ${n} rows`;
  }
  return null;
}

/** Row i's frames as a view (no copy). */
export function rowFrames(columns: ShardColumns, row: number): Float32Array {
  return columns.frames.subarray(row * FRAME_VALUES, (row + 1) * FRAME_VALUES);
}

/** Row i's non-empty frame indices as a view (no copy). */
export function rowNonEmptyFrameIdxs(columns: ShardColumns, row: number): Float32Array {
  return columns.nonEmptyFrameIdxs.subarray(row * IDX_VALUES, (row + 1) * IDX_VALUES);
}
