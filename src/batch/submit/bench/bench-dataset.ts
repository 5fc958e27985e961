import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'csv-stringify/sync';
import { writeFileAtomic } from '../../data/dataset/write-file-atomic.ts';
import { writeSynthDataset, type SynthProgress } from '../../data/synth/write-dataset.ts';
import { parseListingCsv } from '../read-listing-csv.ts';

export interface BenchDataset {
  readonly dir: string;
  /** The listing to score: test.csv, or a longer listing that repeats its files. */
  readonly csv: string;
  readonly distinct: number;
  readonly listed: number;
  readonly generated: boolean;
}

/** A bound on how far one file set is stretched: beyond it the benchmark reads mostly the same bytes. */
const MAX_REPEATS = 100;

/**
 * The synthetic test split the benchmark scores, cached under `root` (generating 40k files takes a
 * while): `distinct` clips with the generator's real frame-count distribution. When `listed` is
 * larger, a listing names every file again under new sequence ids, so a long run costs the same decode
 * and inference per clip (the files are then read from the page cache more often than not).
 */
export async function prepareBenchDataset(
  root: string,
  options: { readonly seed: number; readonly distinct: number; readonly listed: number },
  onProgress?: (progress: SynthProgress) => void,
): Promise<BenchDataset> {
  const { seed, distinct, listed } = options;
  if (listed < distinct || listed > distinct * MAX_REPEATS) {
    throw new RangeError(`--clips must be between --distinct and ${MAX_REPEATS} x --distinct`);
  }
  const dir = join(root, `synth-s${seed}-n${distinct}`);
  const testCsv = join(dir, 'test.csv');
  // train.csv is written last: its presence means the dataset is complete.
  const generated = !existsSync(join(dir, 'train.csv'));
  if (generated) {
    await writeSynthDataset({
      out: dir,
      seed,
      signs: 250,
      signers: 21,
      clips: 0,
      testClips: distinct,
      ...(onProgress === undefined ? {} : { onProgress }),
    });
  }
  if (listed === distinct) return { dir, csv: testCsv, distinct, listed, generated };
  const csv = join(dir, `listing-${listed}.csv`);
  if (!existsSync(csv)) {
    const clips = parseListingCsv(readFileSync(testCsv, 'utf8'), testCsv, dir);
    const rows = Array.from({ length: listed }, (_, i) => {
      const clip = clips[i % distinct]!;
      const repeat = Math.floor(i / distinct);
      // Synthetic ids are below 2^32, so each repeat gets a range of its own.
      const id = String(BigInt(clip.sequenceId) + BigInt(repeat) * 2n ** 33n);
      return [clip.path, id];
    });
    await writeFileAtomic(
      csv,
      stringify(rows, { header: true, columns: ['path', 'sequence_id'], record_delimiter: '\n' }),
    );
  }
  return { dir, csv, distinct, listed, generated };
}
