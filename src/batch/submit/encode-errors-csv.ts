import { stringify } from 'csv-stringify/sync';
import type { ClipOutcome } from './clip-outcome.ts';
import type { ListedClip } from './clip-listing.ts';

export const ERRORS_CSV = 'errors.csv';

/** The clips that got the fallback: path as listed, a stable code, and the reader's message. */
export function encodeErrorsCsv(clips: readonly ListedClip[], outcomes: readonly ClipOutcome[]): string {
  const rows: string[][] = [];
  outcomes.forEach((o, i) => {
    if (!o.ok) rows.push([clips[i]!.path, o.code, o.message]);
  });
  return stringify(rows, { header: true, columns: ['path', 'code', 'message'], record_delimiter: '\n' });
}
