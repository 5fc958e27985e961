import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LabeledClips } from '../../../src/batch/export/evaluate/labeled-clips.ts';
import { readLandmarkParquet } from '../../../src/shared/landmarks/read-parquet.ts';
import { preprocessClip } from '../../../src/shared/preprocess/preprocess.ts';
import { REAL_DIR, readRealFile } from '../../shared/real-files.ts';

/** The signs of the labeled real files (../shared/asl-real/train.csv), in sorted order. */
export const REAL_SIGNS = ['awake', 'hello', 'thankyou'] as const;

/**
 * The first `count` labeled real Kaggle clips, read and preprocessed by src/shared exactly as the
 * Worker and the batch scorer do. Read from ../shared/asl-real beside the repository, never copied in.
 */
export async function realClips(count: number): Promise<LabeledClips> {
  const [, ...lines] = readFileSync(join(REAL_DIR, 'train.csv'), 'utf8').trim().split('\n');
  const rows = lines.slice(0, count).map((line) => {
    const [path, , , sign] = line.split(',');
    return { path: path!, label: (REAL_SIGNS as readonly string[]).indexOf(sign!) };
  });
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
