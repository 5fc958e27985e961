/**
 * The Kaggle layout's index CSVs (train.csv, and our test_labels.csv): path,participant_id,sequence_id,sign
 * with paths <dir>/<participant_id>/<sequence_id>.parquet. Rows are ordered by sequence_id compared as
 * text, the order of the real file (it starts 1000035562, 1000106739, 100015657, ...).
 */
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
