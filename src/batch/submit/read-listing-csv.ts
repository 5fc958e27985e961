import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { parseIndexCsv, type IndexCsvProblem } from '../data/kaggle/clip-index-csv.ts';
import type { ListedClip } from './clip-listing.ts';
import { SubmitError } from './submit-error.ts';

export async function readListingCsv(csvPath: string, dataDir: string): Promise<ListedClip[]> {
  let text: string;
  try {
    text = await readFile(csvPath, 'utf8');
  } catch (err) {
    throw new SubmitError('listing_unreadable', csvPath, (err as Error).message, { cause: err });
  }
  return parseListingCsv(text, csvPath, dataDir);
}

/**
 * The Kaggle listing (test.csv, train.csv or one of the same form): `path` and `sequence_id` required,
 * `participant_id` and `sign` optional, any other column ignored.
 */
export function parseListingCsv(text: string, source: string, dataDir: string): ListedClip[] {
  const fail = (problem: IndexCsvProblem, detail: string, cause?: unknown): never => {
    throw new SubmitError(problem === 'empty' ? 'no_clips' : 'listing_invalid', source, detail, { cause });
  };
  const rows = parseIndexCsv(text, { participantId: 'optional', relaxColumnCount: true, fail });
  if (rows.length === 0) throw new SubmitError('no_clips', source, 'the listing has a header but no rows');
  return rows.map((row) => ({
    path: row.path,
    file: resolve(dataDir, row.path),
    sequenceId: row.sequenceId,
    participantId: row.participantId,
    sign: row.sign,
  }));
}
