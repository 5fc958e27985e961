import { zeroDecodeTimings, type DecodeTimings } from './decode-timings.ts';

/** Where a run's time went. Decode stages are worker-thread time summed over workers. */
export interface StageTimings {
  readonly decode: DecodeTimings;
  /** Clips the workers handled (decoded or failed). */
  decodedClips: number;
  /** Time inside session.run, and the clips it scored. */
  inferenceMs: number;
  inferredClips: number;
  batches: number;
  /** Main-thread time waiting for a decoded batch: inference starved by decoding. */
  waitMs: number;
  /** Top-k selection and journal appends. */
  journalMs: number;
  /**
   * CPU time of the whole process (every thread: decode workers, onnxruntime's, the main thread) over
   * the pipeline. On a shared machine this, not wall time, says what a clip costs.
   */
  cpuMs: number;
}

export function zeroStageTimings(): StageTimings {
  return {
    decode: zeroDecodeTimings(),
    decodedClips: 0,
    inferenceMs: 0,
    inferredClips: 0,
    batches: 0,
    waitMs: 0,
    journalMs: 0,
    cpuMs: 0,
  };
}
