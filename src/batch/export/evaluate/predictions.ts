import type { ModelRunner } from '../runtime/model-runner.ts';
import { clipBatch, type LabeledClips } from './labeled-clips.ts';

/** What a model answered for each clip, enough for accuracy, top-k and agreement. */
export interface Predictions {
  readonly classes: number;
  /** Arg-max class per clip. */
  readonly top1: Int32Array;
  /** How many classes scored strictly higher than the clip's label (0 = correct top-1). */
  readonly labelRank: Int32Array;
  readonly labels: Int32Array;
  /** [clips, classes], when asked for (comparing two models' distributions). */
  readonly probabilities?: Float32Array;
}

/** Runs every clip through `runner`, `batchSize` clips per call. */
export async function predict(
  runner: ModelRunner,
  clips: LabeledClips,
  batchSize: number,
  options: { readonly keepProbabilities?: boolean } = {},
): Promise<Predictions> {
  const top1 = new Int32Array(clips.count);
  let kept: Float32Array | undefined;
  const labelRank = new Int32Array(clips.count);
  const labels = new Int32Array(clips.count);
  let classes = 0;
  for (let start = 0; start < clips.count; start += batchSize) {
    const batch = clipBatch(clips, start, batchSize);
    const probs = await runner.run(batch);
    classes = probs.length / batch.batch;
    if (options.keepProbabilities) {
      kept ??= new Float32Array(clips.count * classes);
      kept.set(probs, start * classes);
    }
    for (let b = 0; b < batch.batch; b++) {
      const i = start + b;
      const row = probs.subarray(b * classes, (b + 1) * classes);
      const label = clips.label(i);
      let best = 0;
      let higher = 0;
      const labelProb = label >= 0 && label < classes ? row[label]! : Number.POSITIVE_INFINITY;
      for (let c = 0; c < classes; c++) {
        const p = row[c]!;
        if (p > row[best]!) best = c;
        if (p > labelProb) higher++;
      }
      top1[i] = best;
      labelRank[i] = label >= 0 && label < classes ? higher : classes;
      labels[i] = label;
    }
  }
  return { classes, top1, labelRank, labels, ...(kept ? { probabilities: kept } : {}) };
}
