/** How a run divides the machine's cores between decode workers and onnxruntime's intra-op threads. */
export interface ThreadSplit {
  readonly workers: number;
  readonly intraOpThreads: number;
}

/**
 * Every core for decoding and every core for inference, letting the OS share them: the two stages
 * take turns (inference waits for batches, workers wait while the queue is full), and idle intra-op
 * threads do not spin (the `scoring` session preset). Measured on 2 cores with bench:submit (2,000 clips, baseline-size
 * stand-in, quiet machine), 2 workers x 2 threads was the best or tied for best for int8 and float32;
 * a single thread for inference lost ~13% on float32, one worker lost ~7% on int8.
 */
export function defaultThreadSplit(cores: number): ThreadSplit {
  const n = Math.max(1, cores);
  return { workers: n, intraOpThreads: n };
}
