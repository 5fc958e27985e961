/**
 * Generates one planned clip and writes its parquet file. The bytes go to `<path>.tmp` first and are renamed
 * into place, so an interrupted run never leaves a half-written file under a final name (and a re-run
 * overwrites any stale .tmp).
 */
import { join } from 'node:path';
import type { Clip } from '../../../shared/landmarks/clip.ts';
import { LANDMARK_OFFSETS, VALUES_PER_FRAME } from '../../../shared/landmarks/layout.ts';
import { writeFileAtomic } from '../dataset/write-file-atomic.ts';
import { encodeLandmarkParquet } from '../kaggle/write-landmark-parquet.ts';
import type { PlannedClip } from './dataset-plan.ts';
import { generateClip } from './generate-clip.ts';
import type { SignSpec } from './sign-spec.ts';
import type { SignerSpec } from './signer.ts';

export interface ClipFileStats {
  readonly frames: number;
  readonly bytes: number;
  /** Frames without the left hand plus frames without the right hand. */
  readonly handNullFrames: number;
  readonly faceNullFrames: number;
}

export function clipNullCounts(clip: Clip): Pick<ClipFileStats, 'handNullFrames' | 'faceNullFrames'> {
  let hands = 0;
  let face = 0;
  for (let f = 0; f < clip.frameCount; f++) {
    const base = f * VALUES_PER_FRAME;
    if (Number.isNaN(clip.data[base + LANDMARK_OFFSETS.left_hand * 3]!)) hands++;
    if (Number.isNaN(clip.data[base + LANDMARK_OFFSETS.right_hand * 3]!)) hands++;
    if (Number.isNaN(clip.data[base + LANDMARK_OFFSETS.face * 3]!)) face++;
  }
  return { handNullFrames: hands, faceNullFrames: face };
}

export async function writeClipFile(
  dir: string,
  job: PlannedClip,
  signs: readonly SignSpec[],
  signers: readonly SignerSpec[],
): Promise<ClipFileStats> {
  const clip = generateClip(signs[job.sign]!, signers[job.signer]!, job.seed);
  const bytes = encodeLandmarkParquet(clip);
  await writeFileAtomic(join(dir, job.path), bytes);
  return { frames: clip.frameCount, bytes: bytes.length, ...clipNullCounts(clip) };
}
