import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LabeledClips } from '../../../src/batch/export/evaluate/labeled-clips.ts';
import { readLandmarkParquet } from '../../../src/shared/landmarks/read-parquet.ts';
import { preprocessClip } from '../../../src/shared/preprocess/preprocess-clip.ts';
import { REAL_DIR, readRealFile } from '../../shared/real-files.ts';

/** The labeled real files (path, sign) in train.csv order. */
function labeledRows(): { path: string; sign: string }[] {
  const [, ...lines] = readFileSync(join(REAL_DIR, 'train.csv'), 'utf8').trim().split('\n');
  return lines.map((line) => {
    const [path, , , sign] = line.split(',');
    return { path: path!, sign: sign! };
  });
}

/** The signs of the labeled real files, in sorted order (read from train.csv, never spelled here). */
export function realSigns(): string[] {
  return [...new Set(labeledRows().map((r) => r.sign))].sort();
}

/**
 * The first `count` labeled real Kaggle clips, read and preprocessed by src/shared exactly as the
 * Worker and the batch scorer do. Read from ../shared/asl-real beside the repository, never copied in.
 */
export async function realClips(count: number): Promise<LabeledClips> {
  const signs = realSigns();
  const rows = labeledRows()
    .slice(0, count)
    .map((r) => ({ path: r.path, label: signs.indexOf(r.sign) }));
  const inputs = await Promise.all(
    rows.map(async (r) => preprocessClip(await readLandmarkParquet(readRealFile(r.path), r.path))),
  );
  return {
    count: rows.length,
    frames: (i) => inputs[i]!.frames,
    nonEmptyFrameIdxs: (i) => inputs[i]!.nonEmptyFrameIdxs,
    label: (i) => rows[i]!.label,
  };
}
