import { createHash } from 'node:crypto';

/** One clip to score, in the order the submission lists it. */
export interface ListedClip {
  /** As the CSV lists it (relative to the data directory), or relative to the scanned directory. */
  readonly path: string;
  /** Absolute path the worker reads. */
  readonly file: string;
  /** Decimal digits without leading zeros: ids reach ~4.3e9 and the submission echoes them as text. */
  readonly sequenceId: string;
  readonly participantId: number | null;
  /** The label when the listing has one (a validation split), else null. */
  readonly sign: string | null;
}

export interface Listing {
  /** The CSV file, or the directory that was scanned for parquet files. */
  readonly source: string;
  readonly kind: 'csv' | 'directory';
  readonly clips: readonly ListedClip[];
}

/**
 * What a journal is bound to: the clips and their order (paths and ids), not where the data directory
 * happens to live, so a moved dataset still resumes.
 */
export function listingDigest(clips: readonly ListedClip[]): string {
  const hash = createHash('sha256');
  for (const clip of clips) hash.update(`${clip.path}\t${clip.sequenceId}\n`);
  return hash.digest('hex');
}
