import type { Dataset } from '../../data/dataset/open-dataset.ts';
import { FRAME_VALUES, IDX_VALUES } from '../../../shared/bundle/model-contract.ts';
import type { ClipBatch } from '../runtime/model-runner.ts';

/** Preprocessed clips with their labels: what the export evaluates and times the models on. */
export interface LabeledClips {
  readonly count: number;
  frames(i: number): Float32Array;
  nonEmptyFrameIdxs(i: number): Float32Array;
  label(i: number): number;
}

/** Dataset rows as clips (views into the shards: nothing is copied until a batch is assembled). */
export function datasetClips(ds: Dataset, rows: Uint32Array): LabeledClips {
  return {
    count: rows.length,
    frames: (i) => ds.frames(rows[i]!),
    nonEmptyFrameIdxs: (i) => ds.nonEmptyFrameIdxs(rows[i]!),
    label: (i) => ds.labels[rows[i]!]!,
  };
}

/** Clips `start .. start + size - 1` copied into one contiguous batch. */
export function clipBatch(clips: LabeledClips, start: number, size: number): ClipBatch {
  const batch = Math.min(size, clips.count - start);
  const frames = new Float32Array(batch * FRAME_VALUES);
  const idxs = new Float32Array(batch * IDX_VALUES);
  for (let b = 0; b < batch; b++) {
    frames.set(clips.frames(start + b), b * FRAME_VALUES);
    idxs.set(clips.nonEmptyFrameIdxs(start + b), b * IDX_VALUES);
  }
  return { frames, nonEmptyFrameIdxs: idxs, batch };
}
