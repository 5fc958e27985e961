import { readLandmarkFileSync } from '../data/kaggle/read-landmark-file.ts';
import { isLandmarkFileError } from '../../shared/landmarks/landmark-file-error.ts';
import { readLandmarkParquet } from '../../shared/landmarks/read-parquet.ts';
import type { ModelInputs } from '../../shared/preprocess/model-inputs.ts';
import { preprocessClip } from '../../shared/preprocess/preprocess-clip.ts';
import type { ClipFailure } from './clip-failure.ts';
import type { DecodeTimings } from './decode-timings.ts';

export type DecodedClip =
  { readonly ok: true; readonly inputs: ModelInputs } | { readonly ok: false; readonly failure: ClipFailure };

/**
 * Reads, decodes and preprocesses one parquet file with the same shared reader and preprocessing as the
 * Worker, adding the time of each stage to `timings`. Never throws: a bad file must not stop a run.
 * Reads synchronously: it runs in a worker thread, where blocking costs nothing and saves the
 * thread-pool round trips of an async read per small file.
 */
export async function decodeClipFile(file: string, timings: DecodeTimings): Promise<DecodedClip> {
  const t0 = performance.now();
  const read = readLandmarkFileSync(file);
  timings.readMs += performance.now() - t0;
  if (!read.ok) return { ok: false, failure: { code: read.code, message: read.message } };
  const { bytes } = read;
  const t1 = performance.now();
  let clip;
  try {
    clip = await readLandmarkParquet(bytes, file);
  } catch (err) {
    if (isLandmarkFileError(err)) return { ok: false, failure: { code: err.code, message: err.message } };
    return { ok: false, failure: { code: 'decode_failed', message: `${file}: ${describe(err)}` } };
  } finally {
    timings.decodeMs += performance.now() - t1;
  }
  const t2 = performance.now();
  try {
    return { ok: true, inputs: preprocessClip(clip) };
  } catch (err) {
    return { ok: false, failure: { code: 'preprocess_failed', message: `${file}: ${describe(err)}` } };
  } finally {
    timings.preprocessMs += performance.now() - t2;
  }
}

function describe(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
