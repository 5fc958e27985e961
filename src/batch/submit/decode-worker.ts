/**
 * Worker-thread entry of the decode pool (started with spawnTsWorker): each task is a batch of files,
 * decoded into the buffers that came with it, which go back transferred.
 */
import type { Transferable } from 'node:worker_threads';
import { servePoolTasks } from '../parallel/serve-pool-tasks.ts';
import type { ChunkResult, ChunkTask } from './chunk-task.ts';
import { decodeChunk } from './decode-chunk.ts';

servePoolTasks<ChunkTask, ChunkResult>(async (task) => {
  const result = await decodeChunk(task);
  return { result, transfer: [result.frames.buffer, result.idxs.buffer] as Transferable[] };
});
