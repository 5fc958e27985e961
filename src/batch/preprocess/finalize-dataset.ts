import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { stringify } from 'csv-stringify/sync';
import { PREPROCESS_VERSION } from '../../shared/preprocess/constants.ts';
import { StatsAccumulator } from '../../shared/preprocess/stats-accumulator.ts';
import { DATASET_FILES, DATASET_FORMAT, DATASET_FORMAT_VERSION } from '../data/dataset/dataset-manifest.ts';
import type { DatasetManifest } from '../data/dataset/dataset-manifest.ts';
import type { ParticipantStatsFile } from '../data/dataset/participant-stats.ts';
import { writeFileAtomic } from '../data/dataset/write-file-atomic.ts';
import { JOURNAL_DIR } from './shard-record.ts';
import type { ShardRecord } from './shard-record.ts';
import { SHARD_NAME_PATTERN } from './shard-plan.ts';

export interface DatasetSource {
  readonly dataDir: string;
  readonly trainCsv: string;
  readonly signMap: string;
  readonly limit: number | null;
}

/**
 * Turns the journal of a finished run into the dataset's side files, writing dataset.json last so that
 * its presence means the directory is complete. Shards left over from an earlier, differently planned
 * run are removed so `*.arrow` is exactly the dataset.
 */
export async function finalizeDataset(
  outDir: string,
  records: readonly ShardRecord[],
  signs: readonly string[],
  source: DatasetSource,
): Promise<DatasetManifest> {
  const byParticipant = new Map<number, StatsAccumulator>();
  for (const record of records) {
    for (const [key, state] of Object.entries(record.participantStats)) {
      const id = Number(key);
      const acc = byParticipant.get(id) ?? new StatsAccumulator();
      acc.merge(StatsAccumulator.fromJSON(state));
      byParticipant.set(id, acc);
    }
  }
  const total = new StatsAccumulator();
  const participants: Record<string, ReturnType<StatsAccumulator['toJSON']>> = {};
  for (const [id, acc] of [...byParticipant.entries()].sort(([a], [b]) => a - b)) {
    total.merge(acc);
    participants[String(id)] = acc.toJSON();
  }
  const participantStats: ParticipantStatsFile = { preprocessVersion: PREPROCESS_VERSION, participants };

  const rejects = records.flatMap((r) => r.rejects);
  const rejectsCsv = stringify(
    rejects.map((r) => [r.path, `${r.code}: ${r.message}`]),
    { header: true, columns: ['path', 'reason'] },
  );

  await writeFileAtomic(join(outDir, DATASET_FILES.stats), json(total.finish()));
  // Compact: one accumulator is 400 numbers, pretty-printed one per line.
  await writeFileAtomic(join(outDir, DATASET_FILES.participantStats), JSON.stringify(participantStats));
  await writeFileAtomic(join(outDir, DATASET_FILES.rejects), rejectsCsv);
  await removeStaleShards(outDir, new Set(records.map((r) => r.name)));

  const rows = records.reduce((sum, r) => sum + r.rows, 0);
  const labeled = records.reduce((sum, r) => sum + r.labeled, 0);
  const manifest: DatasetManifest = {
    format: DATASET_FORMAT,
    formatVersion: DATASET_FORMAT_VERSION,
    preprocessVersion: PREPROCESS_VERSION,
    createdAt: new Date().toISOString(),
    source,
    counts: {
      listed: records.reduce((sum, r) => sum + r.listed, 0),
      rows,
      rejected: rejects.length,
      labeled,
      unlabeled: rows - labeled,
      participants: byParticipant.size,
    },
    signs,
    shards: records.map((r) => ({ file: r.file, rows: r.rows })),
  };
  await writeFileAtomic(join(outDir, DATASET_FILES.manifest), json(manifest));
  return manifest;
}

async function removeStaleShards(outDir: string, keep: ReadonlySet<string>): Promise<void> {
  const stale = async (dir: string, extension: string) => {
    for (const entry of await readdir(dir)) {
      if (!entry.endsWith(extension)) continue;
      const name = entry.slice(0, -extension.length);
      if (SHARD_NAME_PATTERN.test(name) && !keep.has(name)) await rm(join(dir, entry), { force: true });
    }
  };
  await stale(outDir, '.arrow');
  await stale(join(outDir, JOURNAL_DIR), '.json');
}

function json(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}
