/**
 * The held-out set (our own convention; Kaggle's hidden test set had no published layout): test.csv with
 * path,participant_id,sequence_id (no sign) for the files under test_landmark_files/, and a separate
 * test_labels.csv answer key (the same columns plus sign) so that a submission can be scored.
 */
import { stringify } from 'csv-stringify/sync';
import type { ClipIndexEntry } from './clip-index-csv.ts';
import { bySequenceIdText, formatClipIndexCsv, landmarkPath } from './clip-index-csv.ts';

export const TEST_DIR = 'test_landmark_files';
export const TEST_CSV = 'test.csv';
export const TEST_LABELS_CSV = 'test_labels.csv';

export function formatTestCsv(rows: readonly Omit<ClipIndexEntry, 'sign'>[]): string {
  const sorted = [...rows].sort(bySequenceIdText);
  return stringify(
    sorted.map((r) => [landmarkPath(TEST_DIR, r.participantId, r.sequenceId), r.participantId, r.sequenceId]),
    { header: true, columns: ['path', 'participant_id', 'sequence_id'], record_delimiter: '\n' },
  );
}

export function formatTestLabelsCsv(rows: readonly ClipIndexEntry[]): string {
  return formatClipIndexCsv(TEST_DIR, rows);
}
