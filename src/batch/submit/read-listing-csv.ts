import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { parse } from 'csv-parse/sync';
import type { ListedClip } from './clip-listing.ts';
import { SubmitError } from './submit-error.ts';

const INT32_MAX = 2 ** 31 - 1;

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
 * The Kaggle listing: `path` and `sequence_id` required, `participant_id` and `sign` optional, any other
 * column ignored. Strict about ids: a submission with a mangled or repeated sequence_id is worthless.
 */
export function parseListingCsv(text: string, source: string, dataDir: string): ListedClip[] {
  let records: string[][];
  try {
    records = parse(text, { skip_empty_lines: true, bom: true, trim: true, relax_column_count: true });
  } catch (err) {
    throw new SubmitError('listing_invalid', source, (err as Error).message, { cause: err });
  }
  const header = records[0];
  if (header === undefined) throw new SubmitError('no_clips', source, 'empty file, no header');
  const column = (name: string) => header.indexOf(name);
  for (const name of ['path', 'sequence_id']) {
    if (column(name) < 0)
      throw new SubmitError('listing_invalid', source, `no "${name}" column in the header`);
  }
  const pathCol = column('path');
  const sequenceCol = column('sequence_id');
  const participantCol = column('participant_id');
  const signCol = column('sign');

  const clips: ListedClip[] = [];
  const seen = new Set<string>();
  for (let r = 1; r < records.length; r++) {
    const record = records[r]!;
    const line = r + 1;
    const path = record[pathCol] ?? '';
    if (path === '') throw new SubmitError('listing_invalid', source, `line ${line}: empty path`);
    const sequenceId = canonicalId(record[sequenceCol]);
    if (sequenceId === null) {
      const cell = JSON.stringify(record[sequenceCol] ?? '');
      throw new SubmitError('listing_invalid', source, `line ${line}: sequence_id ${cell} is not an id`);
    }
    if (seen.has(sequenceId)) {
      throw new SubmitError('listing_invalid', source, `line ${line}: sequence_id ${sequenceId} repeats`);
    }
    seen.add(sequenceId);
    const participantCell = participantCol < 0 ? '' : (record[participantCol] ?? '');
    const participantId = participantCell === '' ? null : Number(canonicalId(participantCell) ?? NaN);
    if (participantId !== null && !(participantId <= INT32_MAX)) {
      const cell = JSON.stringify(participantCell);
      throw new SubmitError('listing_invalid', source, `line ${line}: participant_id ${cell} is not an id`);
    }
    const sign = signCol < 0 ? '' : (record[signCol] ?? '');
    clips.push({
      path,
      file: resolve(dataDir, path),
      sequenceId,
      participantId,
      sign: sign === '' ? null : sign,
    });
  }
  if (clips.length === 0) throw new SubmitError('no_clips', source, 'the listing has a header but no rows');
  return clips;
}

/** Decimal digits as a canonical string (no leading zeros), or null. Ids stay text: int64 in parquet. */
export function canonicalId(cell: string | undefined): string | null {
  if (cell === undefined || !/^\d{1,19}$/.test(cell)) return null;
  const value = BigInt(cell);
  return value < 2n ** 63n ? value.toString() : null;
}
