/** A fixed run of listing positions [start, end) scored as one inference batch. */
export interface Chunk {
  readonly start: number;
  readonly end: number;
}

/**
 * Cuts the listing into batches at fixed positions. A resumed run redoes whole batches, never a partial
 * one: batch composition must not depend on where a run was interrupted, because the int8 model's
 * per-batch activation scale (and float summation order) would make the output differ from an
 * uninterrupted run's.
 */
export function planChunks(clips: number, batch: number): Chunk[] {
  if (!Number.isSafeInteger(batch) || batch < 1) throw new RangeError(`batch must be >= 1, got ${batch}`);
  const chunks: Chunk[] = [];
  for (let start = 0; start < clips; start += batch)
    chunks.push({ start, end: Math.min(clips, start + batch) });
  return chunks;
}

/** Chunks with at least one position not yet settled. */
export function pendingChunks(chunks: readonly Chunk[], settled: ReadonlyMap<number, unknown>): Chunk[] {
  return chunks.filter((chunk) => {
    for (let i = chunk.start; i < chunk.end; i++) if (!settled.has(i)) return true;
    return false;
  });
}
