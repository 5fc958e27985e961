/**
 * Worker-thread entry of StagedBatches (started with spawnTsWorker): decodes the dataset's shared
 * shard bytes once, then packs each requested batch into the buffers that came with it, which go back
 * transferred inside the packed batch.
 */
import { workerData } from 'node:worker_threads';
import { shardRows } from '../../data/dataset/open-dataset.ts';
import { decodeShard } from '../../data/dataset/read-shard.ts';
import type { PackedBatch } from '../../model/frame-packing.ts';
import { packBuffersOf } from '../../model/frame-packing.ts';
import { servePoolTasks } from '../../parallel/serve-pool-tasks.ts';
import { BatchAssembler, packTransferList } from './step-batches.ts';
import type { StagingTask, StagingWorkerData } from './step-batches.ts';

const data = workerData as StagingWorkerData;
const clips = shardRows(data.shards.map((bytes, i) => ({ columns: decodeShard(bytes, `shard ${i}`) })));

servePoolTasks<StagingTask, PackedBatch>(async (task) => {
  const assembler = new BatchAssembler(clips, data.capacity, data.frames, task.buffers);
  const batch = assembler.gather(task.rows, task.masking);
  return { result: batch, transfer: packTransferList(packBuffersOf(batch)) };
});
