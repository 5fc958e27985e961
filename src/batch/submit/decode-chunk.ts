import type { ChunkResult, ChunkTask } from './chunk-task.ts';
import type { ClipFailure } from './clip-failure.ts';
import { decodeClipFile } from './decode-clip-file.ts';
import { zeroDecodeTimings } from './decode-timings.ts';
import { FRAME_VALUES, IDX_VALUES } from '../../shared/bundle/model-contract.ts';

/** Decodes a batch into the task's buffers, packing the clips that decode into consecutive rows. */
export async function decodeChunk(task: ChunkTask): Promise<ChunkResult> {
  const { files, frames, idxs } = task;
  if (frames.length < files.length * FRAME_VALUES || idxs.length < files.length * IDX_VALUES) {
    throw new RangeError(`buffers too small for ${files.length} clips`);
  }
  const timings = zeroDecodeTimings();
  const failures: (ClipFailure & { slot: number })[] = [];
  let row = 0;
  for (const [slot, file] of files.entries()) {
    const decoded = await decodeClipFile(file, timings);
    if (!decoded.ok) {
      failures.push({ slot, ...decoded.failure });
      continue;
    }
    frames.set(decoded.inputs.frames, row * FRAME_VALUES);
    idxs.set(decoded.inputs.nonEmptyFrameIdxs, row * IDX_VALUES);
    row++;
  }
  return { frames, idxs, failures, timings };
}
