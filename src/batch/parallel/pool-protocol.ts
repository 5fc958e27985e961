/** Messages between WorkerPool (main thread) and servePoolTasks (worker thread). */
export interface TaskMessage<Task> {
  readonly id: number;
  readonly task: Task;
}

export type ReplyMessage<Result> =
  | { readonly kind: 'ready' }
  | { readonly kind: 'result'; readonly id: number; readonly result: Result }
  /** The handler threw: a bug, not a bad input (handlers turn bad inputs into results). */
  | { readonly kind: 'error'; readonly id: number; readonly message: string };
