import type { Transferable, Worker } from 'node:worker_threads';
import type { ReplyMessage, TaskMessage } from './pool-protocol.ts';
import { WorkerPoolError } from './worker-pool-error.ts';

interface Pending<Result> {
  readonly id: number;
  readonly task: unknown;
  readonly transfer: readonly Transferable[];
  readonly resolve: (result: Result) => void;
  readonly reject: (err: Error) => void;
}

interface Slot<Result> {
  readonly worker: Worker;
  readonly inFlight: Map<number, Pending<Result>>;
  ready: boolean;
}

/**
 * A fixed number of worker threads running tasks in FIFO order, each worker holding a few tasks at once
 * so it never waits on a round trip. A worker that dies fails only the tasks it held and is replaced; a
 * worker that dies before it is ready (broken entry file) fails the whole pool, since a replacement
 * would die the same way.
 */
export class WorkerPool<Task, Result> {
  private readonly slots: (Slot<Result> | null)[];
  private readonly queue: Pending<Result>[] = [];
  private nextId = 0;
  private failure: WorkerPoolError | null = null;
  private closed = false;

  constructor(
    readonly size: number,
    private readonly spawn: () => Worker,
    private readonly tasksPerWorker = 2,
  ) {
    if (!Number.isInteger(size) || size < 1)
      throw new RangeError(`worker pool size must be >= 1, got ${size}`);
    this.slots = Array.from({ length: size }, () => null);
    for (let i = 0; i < size; i++) this.start(i);
  }

  /** Tasks queued or running. */
  get pending(): number {
    return this.queue.length + this.slots.reduce((sum, s) => sum + (s?.inFlight.size ?? 0), 0);
  }

  run(task: Task, transfer: readonly Transferable[] = []): Promise<Result> {
    if (this.failure !== null) return Promise.reject(this.failure);
    if (this.closed) return Promise.reject(new WorkerPoolError('pool_closed', 'the worker pool is closed'));
    return new Promise<Result>((resolve, reject) => {
      this.queue.push({ id: this.nextId++, task, transfer, resolve, reject });
      this.pump();
    });
  }

  /** Stops every worker now; queued and running tasks are rejected with `pool_closed`. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const error = new WorkerPoolError('pool_closed', 'the worker pool was closed');
    this.failAll(error);
    await Promise.all(this.slots.map((slot) => slot?.worker.terminate()));
  }

  private start(index: number): void {
    const worker = this.spawn();
    const slot: Slot<Result> = { worker, inFlight: new Map(), ready: false };
    this.slots[index] = slot;
    worker.on('message', (message: ReplyMessage<Result>) => this.onMessage(slot, message));
    worker.on('error', (err) => this.onDeath(index, slot, err.message));
    worker.on('exit', (code) => this.onDeath(index, slot, `exited with code ${code}`));
  }

  private onMessage(slot: Slot<Result>, message: ReplyMessage<Result>): void {
    if (message.kind === 'ready') {
      slot.ready = true;
      this.pump();
      return;
    }
    const pending = slot.inFlight.get(message.id);
    if (pending === undefined) return;
    slot.inFlight.delete(message.id);
    if (message.kind === 'result') pending.resolve(message.result);
    else pending.reject(new WorkerPoolError('task_threw', message.message));
    this.pump();
  }

  private onDeath(index: number, slot: Slot<Result>, why: string): void {
    // 'error' is followed by 'exit': handle the first, ignore the echo.
    if (this.slots[index] !== slot || this.closed) return;
    this.slots[index] = null;
    if (!slot.ready) {
      this.failure = new WorkerPoolError('worker_failed_to_start', `a worker failed to start: ${why}`);
      for (const pending of slot.inFlight.values()) pending.reject(this.failure);
      this.failAll(this.failure);
      void this.close();
      return;
    }
    for (const pending of slot.inFlight.values()) {
      pending.reject(new WorkerPoolError('worker_crashed', `the worker running this task died: ${why}`));
    }
    this.start(index);
  }

  private failAll(error: WorkerPoolError): void {
    for (const pending of this.queue.splice(0)) pending.reject(error);
    for (const slot of this.slots) {
      if (slot === null) continue;
      for (const pending of slot.inFlight.values()) pending.reject(error);
      slot.inFlight.clear();
    }
  }

  private pump(): void {
    for (const slot of this.slots) {
      if (slot === null || !slot.ready) continue;
      while (slot.inFlight.size < this.tasksPerWorker) {
        const pending = this.queue.shift();
        if (pending === undefined) return;
        slot.inFlight.set(pending.id, pending);
        const message: TaskMessage<unknown> = { id: pending.id, task: pending.task };
        slot.worker.postMessage(message, [...pending.transfer]);
      }
    }
  }
}
