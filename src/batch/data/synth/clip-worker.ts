/**
 * Worker-thread entry of the synth pool (start it with spawnTsWorker): each task is a batch of planned
 * clips whose files it writes, answered with the batch's statistics.
 */
import { workerData } from 'node:worker_threads';
import { servePoolTasks } from '../../parallel/serve-pool-tasks.ts';
import type { PlannedClip } from './dataset-plan.ts';
import type { SignSpec } from './sign-spec.ts';
import type { SignerSpec } from './signer.ts';
import type { ClipFileStats } from './write-clip-file.ts';
import { writeClipFile } from './write-clip-file.ts';

/** What every task shares, sent once per thread rather than with each batch. */
export interface ClipWorkerData {
  readonly dir: string;
  readonly signs: readonly SignSpec[];
  readonly signers: readonly SignerSpec[];
}

const data = workerData as ClipWorkerData;

servePoolTasks<readonly PlannedClip[], ClipFileStats[]>(async (jobs) => {
  const stats: ClipFileStats[] = [];
  for (const job of jobs) stats.push(await writeClipFile(data.dir, job, data.signs, data.signers));
  return { result: stats };
});
