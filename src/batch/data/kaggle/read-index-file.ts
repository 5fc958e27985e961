import { readFile } from 'node:fs/promises';
import { KaggleReadError } from './read-error.ts';

/** The text of one of the dataset's index files (train.csv, the sign map); any failure is `file_unreadable`. */
export async function readIndexFile(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (err) {
    throw new KaggleReadError('file_unreadable', path, (err as Error).message);
  }
}
