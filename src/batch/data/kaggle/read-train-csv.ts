import { parse } from 'csv-parse/sync';
import { KaggleReadError } from './read-error.ts';
import { readIndexFile } from './read-index-file.ts';

/** One row of the Kaggle train.csv. `sign` is null when the column is absent or the cell is empty. */
export interface TrainRow {
  /** Relative to the dataset directory, as written in the CSV (`train_landmark_files/<pid>/<sid>.parquet`). */
  readonly path: string;
  readonly participantId: number;
  /** Real ids reach ~4.3e9: beyond int32, but exact as a double (the Arrow column is int64). */
  readonly sequenceId: number;
  readonly sign: string | null;
}

const REQUIRED_COLUMNS = ['path', 'participant_id', 'sequence_id'] as const;
const INT32_MAX = 2 ** 31 - 1;

export async function readTrainCsv(path: string): Promise<TrainRow[]> {
  return parseTrainCsv(await readIndexFile(path), path);
}

/**
 * Strict on purpose: a malformed index row means the dataset is not what we think it is, and guessing
 * would silently mislabel clips.
 */
export function parseTrainCsv(text: string, source: string): TrainRow[] {
  let records: string[][];
  try {
    records = parse(text, { skip_empty_lines: true, bom: true, trim: true }) as string[][];
  } catch (err) {
    throw new KaggleReadError('csv_malformed', source, (err as Error).message);
  }
  const header = records[0];
  if (header === undefined) throw new KaggleReadError('csv_missing_column', source, 'empty file, no header');
  const column = (name: string): number => header.indexOf(name);
  for (const name of REQUIRED_COLUMNS) {
    if (column(name) < 0) {
      throw new KaggleReadError('csv_missing_column', source, `no "${name}" column in the header`);
    }
  }
  const pathCol = column('path');
  const participantCol = column('participant_id');
  const sequenceCol = column('sequence_id');
  const signCol = column('sign');

  const rows: TrainRow[] = [];
  const seen = new Set<number>();
  for (let r = 1; r < records.length; r++) {
    const record = records[r]!;
    const line = r + 1;
    const path = record[pathCol] ?? '';
    if (path === '') throw new KaggleReadError('csv_bad_value', source, `line ${line}: empty path`);
    const participantId = parseId(record[participantCol], INT32_MAX, 'participant_id', line, source);
    const sequenceId = parseId(record[sequenceCol], Number.MAX_SAFE_INTEGER, 'sequence_id', line, source);
    if (seen.has(sequenceId)) {
      throw new KaggleReadError(
        'csv_duplicate_sequence',
        source,
        `line ${line}: sequence_id ${sequenceId} repeats`,
      );
    }
    seen.add(sequenceId);
    const signCell = signCol < 0 ? '' : (record[signCol] ?? '');
    rows.push({ path, participantId, sequenceId, sign: signCell === '' ? null : signCell });
  }
  return rows;
}

function parseId(cell: string | undefined, max: number, name: string, line: number, source: string): number {
  const value = cell !== undefined && /^\d+$/.test(cell) ? Number(cell) : NaN;
  if (!Number.isSafeInteger(value) || value > max) {
    throw new KaggleReadError('csv_bad_value', source, `line ${line}: ${name} "${cell ?? ''}" is not an id`);
  }
  return value;
}
