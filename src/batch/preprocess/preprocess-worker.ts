/**
 * Worker-thread entry of the preprocessing pool (start it with spawnTsWorker). Each task is one file;
 * the tensors go back as transferred buffers.
 */
import type { Transferable } from 'node:worker_threads';
import type { FileResult, FileTask } from './file-task.ts';
import { processFile } from './process-file.ts';
import { servePoolTasks } from '../parallel/serve-pool-tasks.ts';

servePoolTasks<FileTask, FileResult>(async (task) => {
  const result = await processFile(task.file);
  if (!result.ok) return { result };
  const frames = ownBuffer(result.frames);
  const nonEmptyFrameIdxs = ownBuffer(result.nonEmptyFrameIdxs, frames.buffer);
  return {
    result: { ok: true, frames, nonEmptyFrameIdxs },
    transfer: [frames.buffer, nonEmptyFrameIdxs.buffer] as Transferable[],
  };
});

/** The array itself when it owns its whole buffer (transferable as is), else a copy that does. */
function ownBuffer(values: Float32Array, notShared?: ArrayBufferLike): Float32Array {
  const owns =
    values.buffer instanceof ArrayBuffer &&
    values.byteOffset === 0 &&
    values.byteLength === values.buffer.byteLength &&
    values.buffer !== notShared;
  return owns ? values : values.slice();
}
