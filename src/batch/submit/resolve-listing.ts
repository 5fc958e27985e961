import { stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Listing } from './clip-listing.ts';
import { readListingCsv } from './read-listing-csv.ts';
import { scanParquetDir } from './scan-parquet-dir.ts';
import { SubmitError } from './submit-error.ts';

/** Looked for in this order: a test set is what one submits; train.csv lets a validation split be scored. */
export const LISTING_CANDIDATES = ['test.csv', 'train.csv'] as const;

/**
 * Which clips to score: `csv` when given (its paths relative to `dataDir`), else the first of
 * LISTING_CANDIDATES in `dataDir`, else every parquet file under `dataDir`.
 */
export async function resolveListing(dataDir: string, csv?: string | null): Promise<Listing> {
  const dir = resolve(dataDir);
  if (!(await isDirectory(dir))) {
    throw new SubmitError(
      'listing_unreadable',
      dir,
      'the data directory does not exist or is not a directory',
    );
  }
  if (csv !== undefined && csv !== null) {
    const file = resolve(csv);
    return { source: file, kind: 'csv', clips: await readListingCsv(file, dir) };
  }
  for (const name of LISTING_CANDIDATES) {
    const file = join(dir, name);
    if (await isFile(file)) return { source: file, kind: 'csv', clips: await readListingCsv(file, dir) };
  }
  return { source: dir, kind: 'directory', clips: await scanParquetDir(dir) };
}

async function isFile(path: string): Promise<boolean> {
  return stat(path).then(
    (s) => s.isFile(),
    () => false,
  );
}

async function isDirectory(path: string): Promise<boolean> {
  return stat(path).then(
    (s) => s.isDirectory(),
    () => false,
  );
}
