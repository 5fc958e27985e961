import { readFile } from 'node:fs/promises';
import { parquetMetadata } from 'hyparquet';
import { POINTS_PER_FRAME } from '../../shared/landmarks/layout.ts';

export interface FrameStats {
  readonly files: number;
  readonly mean: number;
  readonly median: number;
  readonly max: number;
}

/**
 * Frames per clip of a set of landmark files, from the parquet footers (rows / 543: every frame has a
 * row per landmark), so a throughput figure can be read against the clip lengths it was measured on.
 * Unreadable files are skipped.
 */
export async function frameStats(files: readonly string[]): Promise<FrameStats> {
  const frames: number[] = [];
  for (const file of files) {
    try {
      const bytes = await readFile(file);
      const buffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
      frames.push(Number(parquetMetadata(buffer).num_rows) / POINTS_PER_FRAME);
    } catch {
      continue;
    }
  }
  frames.sort((a, b) => a - b);
  const n = frames.length;
  return {
    files: n,
    mean: n === 0 ? 0 : frames.reduce((s, f) => s + f, 0) / n,
    median: n === 0 ? 0 : n % 2 === 1 ? frames[(n - 1) / 2]! : (frames[n / 2 - 1]! + frames[n / 2]!) / 2,
    max: frames[n - 1] ?? 0,
  };
}
