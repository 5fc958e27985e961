import { FRAME_VALUES, IDX_VALUES } from '../../shared/bundle/model-contract.ts';
import { firstInvalidProbability } from '../../shared/bundle/probabilities.ts';
import { spawnTsWorker } from '../parallel/spawn-ts-worker.ts';
import { WorkerPool } from '../parallel/worker-pool.ts';
import { WorkerPoolError } from '../parallel/worker-pool-error.ts';
import type { Chunk } from './chunk-plan.ts';
import type { ChunkResult, ChunkTask } from './chunk-task.ts';
import type { ClipOutcome } from './clip-outcome.ts';
import type { ListedClip } from './clip-listing.ts';
import { addDecodeTimings } from './decode-timings.ts';
import { inferBatch, type ScoringModel } from './infer-batch.ts';
import type { StageTimings } from './stage-timings.ts';
import type { SubmitJournal } from './submit-journal.ts';
import { topClasses } from './top-classes.ts';

const WORKER_ENTRY = new URL('./decode-worker.ts', import.meta.url);
/**
 * Batches each worker holds: while the main thread is blocked in session.run, a worker with a second
 * batch queued keeps decoding instead of waiting for the next message.
 */
const TASKS_PER_WORKER = 2;

export interface ScoreContext {
  readonly clips: readonly ListedClip[];
  readonly model: ScoringModel;
  readonly batch: number;
  /** Classes kept per clip. */
  readonly keep: number;
  readonly workers: number;
  readonly journal: SubmitJournal;
  readonly timings: StageTimings;
  /** Aborting stops after the batch being scored; what was journalled stays. */
  readonly signal?: AbortSignal;
  /** Called after each batch is journalled. */
  readonly onBatch?: (records: readonly { index: number; outcome: ClipOutcome }[]) => void;
}

interface Buffers {
  readonly frames: Float32Array<ArrayBuffer>;
  readonly idxs: Float32Array<ArrayBuffer>;
}

type Decoded =
  { readonly ok: true; readonly result: ChunkResult } | { readonly ok: false; readonly error: Error };

/**
 * The pipeline: worker threads decode and preprocess batches ahead (bounded: each worker holds
 * TASKS_PER_WORKER batches, one more waits decoded), while this thread runs inference on them in order
 * and journals each batch's results as one append. Memory stays at a few batches whatever the listing's
 * size, and buffers are recycled.
 */
export async function scoreChunks(pending: readonly Chunk[], context: ScoreContext): Promise<void> {
  const { clips, timings, signal } = context;
  const aborted = () => signal?.aborted === true;
  const pool = new WorkerPool<ChunkTask, ChunkResult>(
    context.workers,
    () => spawnTsWorker(WORKER_ENTRY),
    TASKS_PER_WORKER,
  );
  const window = context.workers * TASKS_PER_WORKER + 1;
  const free: Buffers[] = [];
  const ahead: Promise<Decoded>[] = [];
  const submit = (chunk: Chunk): Promise<Decoded> => {
    const buffers = free.pop() ?? {
      frames: new Float32Array(context.batch * FRAME_VALUES),
      idxs: new Float32Array(context.batch * IDX_VALUES),
    };
    const files = clips.slice(chunk.start, chunk.end).map((clip) => clip.file);
    return pool.run({ files, ...buffers }, [buffers.frames.buffer, buffers.idxs.buffer]).then(
      (result) => ({ ok: true, result }),
      (error: Error) => ({ ok: false, error }),
    );
  };

  try {
    let next = 0;
    for (const chunk of pending) {
      while (ahead.length < window && next < pending.length) ahead.push(submit(pending[next++]!));
      if (aborted()) break;
      const waitStart = performance.now();
      // No abort check after the wait: a batch decoded by then is cheaper to score than to redo.
      const decoded = await ahead.shift()!;
      timings.waitMs += performance.now() - waitStart;
      const records = await scoreChunk(chunk, decoded, context);
      if (decoded.ok) free.push({ frames: decoded.result.frames, idxs: decoded.result.idxs });
      const journalStart = performance.now();
      await context.journal.write(records);
      timings.journalMs += performance.now() - journalStart;
      context.onBatch?.(records);
    }
  } finally {
    await pool.close();
  }
}

async function scoreChunk(
  chunk: Chunk,
  decoded: Decoded,
  context: ScoreContext,
): Promise<{ index: number; outcome: ClipOutcome }[]> {
  const { timings, model } = context;
  const size = chunk.end - chunk.start;
  timings.decodedClips += size;
  if (!decoded.ok) {
    const { error } = decoded;
    // A worker that cannot start, or a bug in a handler, is not about one batch: stop the run.
    if (!(error instanceof WorkerPoolError && error.code === 'worker_crashed')) throw error;
    const message = `the decode worker died on this clip's batch: ${error.message}`;
    return Array.from({ length: size }, (_, slot) => ({
      index: chunk.start + slot,
      outcome: {
        ok: false,
        code: 'worker_crashed',
        message: `${context.clips[chunk.start + slot]!.file}: ${message}`,
      },
    }));
  }
  const { result } = decoded;
  addDecodeTimings(timings.decode, result.timings);
  const rows = size - result.failures.length;
  let probabilities: Float32Array = new Float32Array(0);
  if (rows > 0) {
    const start = performance.now();
    probabilities = await inferBatch(model, result.frames, result.idxs, rows);
    timings.inferenceMs += performance.now() - start;
    timings.inferredClips += rows;
    timings.batches++;
  }
  const selectStart = performance.now();
  const classes = model.manifest.signs.length;
  const records: { index: number; outcome: ClipOutcome }[] = [];
  let failure = 0;
  let row = 0;
  for (let slot = 0; slot < size; slot++) {
    const failed = result.failures[failure];
    if (failed !== undefined && failed.slot === slot) {
      failure++;
      records.push({
        index: chunk.start + slot,
        outcome: { ok: false, code: failed.code, message: failed.message },
      });
      continue;
    }
    const r = row++;
    const invalid = firstInvalidProbability(probabilities, r * classes, (r + 1) * classes);
    if (invalid >= 0) {
      const p = probabilities[r * classes + invalid];
      const message = `${context.clips[chunk.start + slot]!.file}: the model gave ${p} as the probability of sign ${invalid}`;
      records.push({ index: chunk.start + slot, outcome: { ok: false, code: 'non_finite_output', message } });
      continue;
    }
    const { top, probs } = topClasses(probabilities, r, classes, context.keep);
    records.push({ index: chunk.start + slot, outcome: { ok: true, top, probs } });
  }
  timings.journalMs += performance.now() - selectStart;
  return records;
}
