import { readFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { parse } from 'csv-parse/sync';
import { TEST_CSV, TEST_LABELS_CSV } from '../data/kaggle/write-test-csv.ts';
import type { Listing } from './clip-listing.ts';
import { canonicalId } from '../data/kaggle/clip-index-csv.ts';
import { SubmitError } from './submit-error.ts';

/**
 * The true sign of each listed clip (null where unknown), for `--evaluate`: from `labelsPath` when
 * given (a CSV with sequence_id and sign), else the listing's own sign column, else test_labels.csv
 * beside a test.csv listing (the answer key the synthetic generator writes: our held-out convention). Throws `labels_missing` when no clip ends up labelled.
 */
export async function resolveLabels(
  listing: Listing,
  labelsPath?: string | null,
): Promise<(string | null)[]> {
  let file: string | null = labelsPath === undefined || labelsPath === null ? null : resolve(labelsPath);
  if (file === null && listing.clips.some((clip) => clip.sign !== null)) {
    return listing.clips.map((clip) => clip.sign);
  }
  if (file === null && listing.kind === 'csv' && basename(listing.source) === TEST_CSV) {
    file = join(dirname(listing.source), TEST_LABELS_CSV);
  }
  if (file === null) {
    throw new SubmitError(
      'labels_missing',
      listing.source,
      'no sign column to evaluate against (use --labels)',
    );
  }
  const bySequence = await readLabelsCsv(file);
  const labels = listing.clips.map((clip) => bySequence.get(clip.sequenceId) ?? null);
  if (labels.every((label) => label === null)) {
    throw new SubmitError('labels_missing', file, 'labels none of the listed sequence_ids');
  }
  return labels;
}

async function readLabelsCsv(file: string): Promise<Map<string, string>> {
  let records: string[][];
  try {
    records = parse(await readFile(file, 'utf8'), {
      skip_empty_lines: true,
      bom: true,
      trim: true,
      relax_column_count: true,
    });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'labels_missing' : 'listing_invalid';
    throw new SubmitError(code, file, (err as Error).message, { cause: err });
  }
  const header = records[0] ?? [];
  const sequenceCol = header.indexOf('sequence_id');
  const signCol = header.indexOf('sign');
  if (sequenceCol < 0 || signCol < 0) {
    throw new SubmitError('listing_invalid', file, 'a labels CSV needs sequence_id and sign columns');
  }
  const labels = new Map<string, string>();
  for (const record of records.slice(1)) {
    const id = canonicalId(record[sequenceCol]);
    const sign = record[signCol] ?? '';
    if (id !== null && sign !== '') labels.set(id, sign);
  }
  return labels;
}
