/** Codes a pool's rejections carry, so callers can tell a crashed worker from a closed pool. */
export type WorkerPoolErrorCode = 'worker_crashed' | 'worker_failed_to_start' | 'task_threw' | 'pool_closed';

export class WorkerPoolError extends Error {
  override readonly name = 'WorkerPoolError';

  constructor(
    readonly code: WorkerPoolErrorCode,
    message: string,
  ) {
    super(message);
  }
}
