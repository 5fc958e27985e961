/**
 * The Kaggle layout's index CSVs (train.csv, test.csv, and our test_labels.csv):
 * path,participant_id,sequence_id,sign with paths <dir>/<participant_id>/<sequence_id>.parquet. Rows
 * are ordered by sequence_id compared as text, the order of the real file (it starts 1000035562,
 * 1000106739, 100015657, ...). One reader serves the preprocessing's train.csv and the scorer's
 * listings; each caller turns its problems into its own errors.
 */
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';

/** One clip's line in an index CSV (the path follows from the ids). */
export interface ClipIndexEntry {
  readonly participantId: number;
  readonly sequenceId: number;
  readonly sign: string;
}

export function landmarkPath(dir: string, participantId: number, sequenceId: number): string {
  return `${dir}/${participantId}/${sequenceId}.parquet`;
}

/** The real file's row order: sequence ids compared as strings. */
export function bySequenceIdText<T extends { readonly sequenceId: number }>(a: T, b: T): number {
  const x = String(a.sequenceId);
  const y = String(b.sequenceId);
  return x < y ? -1 : x > y ? 1 : 0;
}

/** The labelled index of the clips whose files are under `dir`. */
export function formatClipIndexCsv(dir: string, rows: readonly ClipIndexEntry[]): string {
  const sorted = [...rows].sort(bySequenceIdText);
  return stringify(
    sorted.map((r) => [
      landmarkPath(dir, r.participantId, r.sequenceId),
      r.participantId,
      r.sequenceId,
      r.sign,
    ]),
    { header: true, columns: ['path', 'participant_id', 'sequence_id', 'sign'], record_delimiter: '\n' },
  );
}

/** Decimal digits as a canonical string (no leading zeros), or null. Ids stay text: int64 in parquet. */
export function canonicalId(cell: string | undefined): string | null {
  if (cell === undefined || !/^\d{1,19}$/.test(cell)) return null;
  const value = BigInt(cell);
  return value < 2n ** 63n ? value.toString() : null;
}

/** What can be wrong with an index CSV; `empty` is a file without even a header line. */
export type IndexCsvProblem = 'malformed' | 'missing_column' | 'bad_value' | 'duplicate_sequence' | 'empty';

export interface IndexCsvRow {
  /** The row's line in the file (the header is line 1), for the caller's own messages. */
  readonly line: number;
  /** As written (relative to the data directory). */
  readonly path: string;
  /** Canonical decimal text: real ids reach ~4.3e9, and int64 in general. */
  readonly sequenceId: string;
  /** null where the column is optional and the cell empty. */
  readonly participantId: number | null;
  /** null when the column is absent or the cell empty. */
  readonly sign: string | null;
}

export interface IndexCsvOptions {
  /** train.csv must name every clip's signer; a listing to score need not. */
  readonly participantId: 'required' | 'optional';
  /** Let rows have more or fewer cells than the header (hand-made listings); train.csv may not. */
  readonly relaxColumnCount: boolean;
  /** Throws the caller's error; `detail` names the line where there is one. */
  readonly fail: (problem: IndexCsvProblem, detail: string, cause?: unknown) => never;
}

const INT32_MAX = 2 ** 31 - 1;

/**
 * Strict on purpose: a mangled or repeated id means the index is not what we think it is, and
 * guessing would silently mislabel clips or write a worthless submission. `path` and `sequence_id`
 * are required, `participant_id` as the options say, `sign` optional, other columns ignored.
 */
export function parseIndexCsv(text: string, options: IndexCsvOptions): IndexCsvRow[] {
  let records: string[][];
  try {
    records = parse(text, {
      skip_empty_lines: true,
      bom: true,
      trim: true,
      relax_column_count: options.relaxColumnCount,
    }) as string[][];
  } catch (err) {
    return options.fail('malformed', (err as Error).message, err);
  }
  const header = records[0];
  if (header === undefined) return options.fail('empty', 'empty file, no header');
  const required =
    options.participantId === 'required'
      ? ['path', 'participant_id', 'sequence_id']
      : ['path', 'sequence_id'];
  for (const name of required) {
    if (!header.includes(name)) options.fail('missing_column', `no "${name}" column in the header`);
  }
  const pathCol = header.indexOf('path');
  const sequenceCol = header.indexOf('sequence_id');
  const participantCol = header.indexOf('participant_id');
  const signCol = header.indexOf('sign');

  const rows: IndexCsvRow[] = [];
  const seen = new Set<string>();
  for (let r = 1; r < records.length; r++) {
    const record = records[r]!;
    const line = r + 1;
    const path = record[pathCol] ?? '';
    if (path === '') options.fail('bad_value', `line ${line}: empty path`);
    const sequenceCell = record[sequenceCol];
    const sequenceId = canonicalId(sequenceCell);
    if (sequenceId === null)
      options.fail(
        'bad_value',
        `line ${line}: sequence_id ${JSON.stringify(sequenceCell ?? '')} is not an id`,
      );
    if (seen.has(sequenceId))
      options.fail('duplicate_sequence', `line ${line}: sequence_id ${sequenceId} repeats`);
    seen.add(sequenceId);
    const participantCell = participantCol < 0 ? '' : (record[participantCol] ?? '');
    let participantId: number | null = null;
    if (participantCell !== '' || options.participantId === 'required') {
      participantId = Number(canonicalId(participantCell) ?? NaN);
      if (!(participantId <= INT32_MAX))
        options.fail(
          'bad_value',
          `line ${line}: participant_id ${JSON.stringify(participantCell)} is not an id`,
        );
    }
    const sign = signCol < 0 ? '' : (record[signCol] ?? '');
    rows.push({ line, path, sequenceId, participantId, sign: sign === '' ? null : sign });
  }
  return rows;
}
