import type { ModelRunner } from '../runtime/model-runner.ts';
import { clipBatch, type LabeledClips } from './labeled-clips.ts';

/** How closely two runtimes agree on the same model and clips. */
export interface RuntimeParity {
  readonly clips: number;
  /** Largest |p_a - p_b| over every clip and class. */
  readonly maxAbsDiff: number;
  /** Fraction of clips with the same arg-max. */
  readonly top1Agreement: number;
}

function argMax(row: Float32Array): number {
  let best = 0;
  for (let c = 1; c < row.length; c++) if (row[c]! > row[best]!) best = c;
  return best;
}

/** Runs the first `count` clips one by one (batch 1, as the Worker does) through both runners. */
export async function runtimeParity(
  a: ModelRunner,
  b: ModelRunner,
  clips: LabeledClips,
  count: number,
): Promise<RuntimeParity> {
  const n = Math.min(count, clips.count);
  let maxAbsDiff = 0;
  let same = 0;
  for (let i = 0; i < n; i++) {
    const batch = clipBatch(clips, i, 1);
    const pa = await a.run(batch);
    const pb = await b.run(batch);
    if (pa.length !== pb.length)
      throw new Error(`${a.runtime} gave ${pa.length} values, ${b.runtime} ${pb.length}`);
    for (let c = 0; c < pa.length; c++) maxAbsDiff = Math.max(maxAbsDiff, Math.abs(pa[c]! - pb[c]!));
    if (argMax(pa) === argMax(pb)) same++;
  }
  return { clips: n, maxAbsDiff, top1Agreement: n === 0 ? 1 : same / n };
}
