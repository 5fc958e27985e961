import type { Dataset } from '../../data/dataset/open-dataset.ts';
import { N_COORDS, N_POINTS } from '../../../shared/preprocess/constants.ts';
import type { ClipBatch } from '../runtime/model-runner.ts';

/** Preprocessed clips with their labels: what the export evaluates and times the models on. */
export interface LabeledClips {
  readonly count: number;
  readonly frameCount: number;
  /** Values per clip in `frames` (frameCount x N_POINTS x N_COORDS). */
  readonly frameValues: number;
  frames(i: number): Float32Array;
  nonEmptyFrameIdxs(i: number): Float32Array;
  label(i: number): number;
}

/** Dataset rows as clips (views into the shards: nothing is copied until a batch is assembled). */
export function datasetClips(ds: Dataset, rows: Uint32Array): LabeledClips {
  const first = rows.length > 0 ? ds.nonEmptyFrameIdxs(rows[0]!) : new Float32Array(64);
  const frameCount = first.length;
  return {
    count: rows.length,
    frameCount,
    frameValues: frameCount * N_POINTS * N_COORDS,
    frames: (i) => ds.frames(rows[i]!),
    nonEmptyFrameIdxs: (i) => ds.nonEmptyFrameIdxs(rows[i]!),
    label: (i) => ds.labels[rows[i]!]!,
  };
}

/** Clips `start .. start + size - 1` copied into one contiguous batch. */
export function clipBatch(clips: LabeledClips, start: number, size: number): ClipBatch {
  const batch = Math.min(size, clips.count - start);
  const frames = new Float32Array(batch * clips.frameValues);
  const idxs = new Float32Array(batch * clips.frameCount);
  for (let b = 0; b < batch; b++) {
    frames.set(clips.frames(start + b), b * clips.frameValues);
    idxs.set(clips.nonEmptyFrameIdxs(start + b), b * clips.frameCount);
  }
  return { frames, nonEmptyFrameIdxs: idxs, batch, frameCount: clips.frameCount };
}
