import { clipBatch, type LabeledClips } from '../evaluate/labeled-clips.ts';
import type { ModelRunner } from '../runtime/model-runner.ts';

export interface LatencyOptions {
  /** Untimed calls first: session warm-up, arena growth, first-touch of fresh memory. */
  readonly warmup: number;
  readonly runs: number;
}

export interface Latency {
  readonly runs: number;
  readonly medianMs: number;
  readonly p95Ms: number;
  readonly minMs: number;
}

/**
 * Per-clip latency at batch 1, the Worker's case: one clip per call, cycling through real clips so
 * the inputs vary as they would. Copying the clip into the batch is outside the timed call.
 */
export async function measureLatency(
  runner: ModelRunner,
  clips: LabeledClips,
  options: LatencyOptions,
): Promise<Latency> {
  if (clips.count === 0) throw new Error('latency needs at least one clip');
  const times: number[] = [];
  for (let i = 0; i < options.warmup + options.runs; i++) {
    const batch = clipBatch(clips, i % clips.count, 1);
    const start = performance.now();
    await runner.run(batch);
    const elapsed = performance.now() - start;
    if (i >= options.warmup) times.push(elapsed);
  }
  times.sort((a, b) => a - b);
  const at = (q: number): number => times[Math.min(times.length - 1, Math.floor(q * times.length))]!;
  return { runs: times.length, medianMs: at(0.5), p95Ms: at(0.95), minMs: times[0]! };
}
