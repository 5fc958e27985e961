/**
 * Worker-thread entry: receives batches of planned clips, writes their files, answers with the batch's
 * statistics. Loaded by Node directly (type stripping), so it must stay plain erasable TypeScript.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { PlannedClip } from './dataset-plan.ts';
import type { SignSpec } from './sign-spec.ts';
import type { SignerSpec } from './signer.ts';
import type { ClipFileStats } from './write-clip-file.ts';
import { writeClipFile } from './write-clip-file.ts';

export interface ClipWorkerData {
  readonly dir: string;
  readonly signs: readonly SignSpec[];
  readonly signers: readonly SignerSpec[];
}

export type ClipWorkerReply =
  { readonly ok: true; readonly stats: ClipFileStats[] } | { readonly ok: false; readonly error: string };

const data = workerData as ClipWorkerData;
const port = parentPort;
if (!port) throw new Error('clip-worker.ts must run in a worker thread');

port.on('message', async (jobs: PlannedClip[]) => {
  try {
    const stats: ClipFileStats[] = [];
    for (const job of jobs) stats.push(await writeClipFile(data.dir, job, data.signs, data.signers));
    port.postMessage({ ok: true, stats } satisfies ClipWorkerReply);
  } catch (e) {
    port.postMessage({
      ok: false,
      error: e instanceof Error ? (e.stack ?? e.message) : String(e),
    } satisfies ClipWorkerReply);
  }
});
