import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';

export interface TsWorkerOptions {
  /** Cloned once into the thread (its `workerData`): for inputs every task shares. */
  readonly workerData?: unknown;
}

/**
 * Starts a worker thread on an entry file. A .ts entry (the checkout) gets tsx's loader registered in
 * that thread; any other entry is JavaScript already (the packed archive's bundles, see
 * src/batch/pack) and runs on plain Node, which has no tsx to resolve.
 */
export function spawnTsWorker(entry: URL, options: TsWorkerOptions = {}): Worker {
  const execArgv = entry.pathname.endsWith('.ts') ? ['--import', tsxLoader()] : undefined;
  return new Worker(entry, { execArgv, workerData: options.workerData });
}

// Resolved from this file rather than the cwd, so the worker loads TypeScript however the parent was
// started (tsx CLI, vitest, or another directory).
function tsxLoader(): string {
  return pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
}
