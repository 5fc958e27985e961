import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REAL_DIR } from '../shared/real-files.ts';

/** The data lines (header dropped) of the real train.csv then unlabeled.csv: path,participant_id,sequence_id,sign. */
export function realIndexLines(): string[] {
  const lines = (file: string) => readFileSync(join(REAL_DIR, file), 'utf8').trim().split('\n').slice(1);
  return [...lines('train.csv'), ...lines('unlabeled.csv')];
}
