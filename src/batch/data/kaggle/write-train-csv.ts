/** train.csv of the Kaggle layout, for the files under train_landmark_files/. */
import type { ClipIndexEntry } from './clip-index-csv.ts';
import { formatClipIndexCsv } from './clip-index-csv.ts';

export const TRAIN_DIR = 'train_landmark_files';

export function formatTrainCsv(rows: readonly ClipIndexEntry[]): string {
  return formatClipIndexCsv(TRAIN_DIR, rows);
}
