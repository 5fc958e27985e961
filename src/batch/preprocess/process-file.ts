import { readLandmarkFile } from '../data/kaggle/read-landmark-file.ts';
import { LandmarkFileError } from '../../shared/landmarks/landmark-file-error.ts';
import { readLandmarkParquet } from '../../shared/landmarks/read-parquet.ts';
import { preprocessClip } from '../../shared/preprocess/preprocess-clip.ts';
import type { FileResult } from './file-task.ts';
import type { RejectCode } from './reject.ts';

/**
 * Reads, decodes and preprocesses one parquet file. Never throws: every failure becomes a result with a
 * code, because one bad file must not stop a run over 94k of them.
 */
export async function processFile(file: string): Promise<FileResult> {
  const read = await readLandmarkFile(file);
  if (!read.ok) return { ok: false, code: read.code, message: read.message };
  try {
    const inputs = preprocessClip(await readLandmarkParquet(read.bytes, file));
    return { ok: true, frames: inputs.frames, nonEmptyFrameIdxs: inputs.nonEmptyFrameIdxs };
  } catch (err) {
    if (err instanceof LandmarkFileError) return { ok: false, code: err.code, message: err.message };
    const code: RejectCode = 'preprocess_failed';
    return { ok: false, code, message: `${file}: ${err instanceof Error ? err.message : String(err)}` };
  }
}
