import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';

// Resolved from this file rather than the cwd, so the worker loads TypeScript however the parent was
// started (tsx CLI, vitest, or another directory).
const TSX_LOADER = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;

export interface TsWorkerOptions {
  /** Cloned once into the thread (its `workerData`): for inputs every task shares. */
  readonly workerData?: unknown;
}

/** Starts a worker thread on a .ts entry file, with tsx's loader registered in that thread. */
export function spawnTsWorker(entry: URL, options: TsWorkerOptions = {}): Worker {
  return new Worker(entry, { execArgv: ['--import', TSX_LOADER], workerData: options.workerData });
}
