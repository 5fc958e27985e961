import { readdir } from 'node:fs/promises';
import { basename, join, sep } from 'node:path';
import type { ListedClip } from './clip-listing.ts';
import { canonicalId } from '../data/kaggle/clip-index-csv.ts';
import { SubmitError } from './submit-error.ts';

/**
 * Every `*.parquet` under `dir` (recursively), sorted by relative path so the order, and so the
 * journal and the output, is the same on every run. The sequence_id is the file name, as in the
 * Kaggle layout (`<participant>/<sequence_id>.parquet`).
 */
export async function scanParquetDir(dir: string): Promise<ListedClip[]> {
  let entries: string[];
  try {
    entries = await readdir(dir, { recursive: true });
  } catch (err) {
    throw new SubmitError('listing_unreadable', dir, (err as Error).message, { cause: err });
  }
  const paths = entries
    .filter((entry) => entry.endsWith('.parquet'))
    .map((entry) => entry.split(sep).join('/'))
    .sort();
  if (paths.length === 0)
    throw new SubmitError('no_clips', dir, 'no CSV listing and no .parquet file under it');
  const seen = new Map<string, string>();
  return paths.map((path) => {
    const stem = basename(path, '.parquet');
    const sequenceId = canonicalId(stem);
    if (sequenceId === null) {
      throw new SubmitError('listing_invalid', dir, `${path}: the file name is not a sequence_id (digits)`);
    }
    const earlier = seen.get(sequenceId);
    if (earlier !== undefined) {
      throw new SubmitError('listing_invalid', dir, `${path} and ${earlier} share sequence_id ${sequenceId}`);
    }
    seen.set(sequenceId, path);
    return { path, file: join(dir, path), sequenceId, participantId: null, sign: null };
  });
}
