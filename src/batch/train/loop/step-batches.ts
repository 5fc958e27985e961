/**
 * The batches the train and eval graphs consume: dataset rows gathered and packed
 * (../../model/frame-packing.ts), either here when asked (BatchAssembler, InlineBatches) or one batch
 * ahead on a worker thread while the current step runs (StagedBatches).
 *
 * Staging pays where the step runs on a GPU: session.run holds the JS thread for the whole step (the
 * upload, the kernels, the read-back) while the CPU cores sit idle, so packing batch k+1 there hides it
 * behind step k. On the CPU the step already keeps every core busy and a worker would only take a core
 * from it, so the trainer packs inline there. Both give the same bytes for the same requests.
 */
import type { Transferable } from 'node:worker_threads';
import type { ClipRows } from '../../data/dataset/open-dataset.ts';
import type { ExecutionProvider } from '../../onnx/ort-session.ts';
import { allocatePackBuffers, FramePacker, packBuffersOf } from '../../model/frame-packing.ts';
import type { FrameMasking, PackBuffers, PackedBatch } from '../../model/frame-packing.ts';
import { spawnTsWorker } from '../../parallel/spawn-ts-worker.ts';
import { WorkerPool } from '../../parallel/worker-pool.ts';

/**
 * Rows gathered and packed into buffers allocated once for the largest batch (fresh memory is slow to
 * touch on these machines), or into the `buffers` given. A batch is valid until the next `gather`.
 */
export class BatchAssembler {
  private readonly packer: FramePacker;

  constructor(
    private readonly clips: ClipRows,
    readonly capacity: number,
    frames: number,
    buffers?: PackBuffers,
  ) {
    this.packer = new FramePacker(capacity, frames, buffers);
  }

  /** Packs `rows` (global dataset rows); `masking` draws random frame masking (training only). */
  gather(rows: Uint32Array, masking: FrameMasking | null): PackedBatch {
    return this.packer.pack(
      rows.length,
      (i) => {
        const row = rows[i]!;
        const label = this.clips.labels[row]!;
        if (label < 0) throw new RangeError(`row ${row} has no label`);
        return {
          frames: this.clips.frames(row),
          nonEmptyFrameIdxs: this.clips.nonEmptyFrameIdxs(row),
          label,
        };
      },
      masking,
    );
  }
}

/** One batch to come: its dataset rows and its step's frame masking (null to keep every frame). */
export interface BatchRequest {
  readonly rows: Uint32Array;
  readonly masking: FrameMasking | null;
}

/** Where batches are packed: `inline` on this thread when asked, `worker` one batch ahead. */
export type BatchStaging = 'inline' | 'worker';
export const BATCH_STAGINGS: readonly BatchStaging[] = ['inline', 'worker'];

/** A worker where the step leaves the CPU idle (a GPU runs it), inline where the step uses every core. */
export function defaultStaging(ep: ExecutionProvider): BatchStaging {
  return ep === 'cpu' ? 'inline' : 'worker';
}

/** Batches handed out in the order planned: an epoch's steps, a validation pass, the initial check. */
export interface EpochBatches {
  /** The batches to come; the previous plan must have been taken to its end. */
  plan(requests: readonly BatchRequest[]): void;
  /** The next planned batch, valid until the following `next`. */
  next(): Promise<PackedBatch>;
  /** Stops the worker, if any; a batch being staged is dropped. */
  close(): Promise<void>;
}

/** Packs each batch when it is asked for, into the assembler's buffers. */
export class InlineBatches implements EpochBatches {
  private queue: BatchRequest[] = [];

  constructor(private readonly assembler: BatchAssembler) {}

  plan(requests: readonly BatchRequest[]): void {
    if (this.queue.length > 0) throw new Error(`${this.queue.length} planned batches were not taken`);
    this.queue = [...requests];
  }

  next(): Promise<PackedBatch> {
    const request = this.queue.shift();
    if (request === undefined) return Promise.reject(new Error('no batch planned'));
    return Promise.resolve(this.assembler.gather(request.rows, request.masking));
  }

  async close(): Promise<void> {
    this.queue = [];
  }
}

/** What the staging worker thread starts with (structured-cloned; shared memory stays shared). */
export interface StagingWorkerData {
  /** The dataset's shard files' bytes, in shard order; SharedArrayBuffer-backed, so not copied. */
  readonly shards: readonly Uint8Array[];
  readonly capacity: number;
  readonly frames: number;
}

export interface StagingTask extends BatchRequest {
  /** Moved to the worker, filled there, and moved back inside the packed batch. */
  readonly buffers: PackBuffers;
}

/** The ArrayBuffers behind pack buffers: moved, never copied, between the threads. */
export function packTransferList(buffers: PackBuffers): Transferable[] {
  return Object.values(buffers).map((b: PackBuffers[keyof PackBuffers]) => b.buffer as ArrayBuffer);
}

const WORKER_ENTRY = new URL('./step-batches-worker.ts', import.meta.url);

/**
 * A worker thread packs the batch after the one just handed out, into the second of two buffer sets,
 * while the caller runs its step on the first; the sets change hands by transfer, so neither thread
 * ever sees a set the other is writing.
 */
export class StagedBatches implements EpochBatches {
  private readonly pool: WorkerPool<StagingTask, PackedBatch>;
  private readonly free: PackBuffers[];
  private queue: BatchRequest[] = [];
  private staging: Promise<PackedBatch> | null = null;
  private current: PackedBatch | null = null;

  /** `shards`: the dataset's shard bytes (Dataset.shards[].bytes), whose rows the requests name. */
  constructor(shards: readonly Uint8Array[], capacity: number, frames: number) {
    const workerData: StagingWorkerData = { shards, capacity, frames };
    this.pool = new WorkerPool(1, () => spawnTsWorker(WORKER_ENTRY, { workerData }), 1);
    this.free = [allocatePackBuffers(capacity, frames), allocatePackBuffers(capacity, frames)];
  }

  plan(requests: readonly BatchRequest[]): void {
    if (this.queue.length > 0 || this.staging !== null)
      throw new Error(`${this.queue.length + (this.staging ? 1 : 0)} planned batches were not taken`);
    this.queue = [...requests];
  }

  async next(): Promise<PackedBatch> {
    if (this.current !== null) {
      this.free.push(packBuffersOf(this.current));
      this.current = null;
    }
    const batch = await (this.staging ?? this.stageNext() ?? Promise.reject(new Error('no batch planned')));
    this.current = batch;
    this.staging = this.stageNext();
    return batch;
  }

  async close(): Promise<void> {
    this.queue = [];
    await this.pool.close();
  }

  private stageNext(): Promise<PackedBatch> | null {
    const request = this.queue.shift();
    if (request === undefined) return null;
    const buffers = this.free.pop();
    if (buffers === undefined) throw new Error('no free pack buffers: a staged batch was lost');
    const task: StagingTask = { rows: request.rows, masking: request.masking, buffers };
    const staged = this.pool.run(task, packTransferList(buffers));
    // Taken by `next`, or dropped at close; either way not an unhandled rejection.
    staged.catch(() => {});
    return staged;
  }
}
