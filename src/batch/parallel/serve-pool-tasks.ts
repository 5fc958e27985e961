import { parentPort } from 'node:worker_threads';
import type { Transferable } from 'node:worker_threads';
import type { ReplyMessage, TaskMessage } from './pool-protocol.ts';

export interface HandledTask<Result> {
  readonly result: Result;
  /** Buffers to move (not copy) to the main thread. */
  readonly transfer?: readonly Transferable[];
}

/** The worker-thread side of WorkerPool: answers each task with the handler's result. */
export function servePoolTasks<Task, Result>(handle: (task: Task) => Promise<HandledTask<Result>>): void {
  const port = parentPort;
  if (port === null) throw new Error('servePoolTasks must run inside a worker thread');
  const reply = (message: ReplyMessage<Result>, transfer?: readonly Transferable[]) =>
    port.postMessage(message, transfer === undefined ? undefined : [...transfer]);
  port.on('message', (message: TaskMessage<Task>) => {
    handle(message.task).then(
      ({ result, transfer }) => reply({ kind: 'result', id: message.id, result }, transfer),
      (err: unknown) =>
        reply({ kind: 'error', id: message.id, message: String((err as Error)?.stack ?? err) }),
    );
  });
  reply({ kind: 'ready' });
}
