import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PREPROCESS_VERSION } from '../../../shared/preprocess/constants.ts';
import type { NormalizationStats } from '../../../shared/preprocess/stats.ts';
import { validateStats } from '../../../shared/preprocess/validate-stats.ts';
import { DatasetError } from './dataset-error.ts';
import { DATASET_FILES, parseDatasetManifest } from './dataset-manifest.ts';
import type { DatasetManifest } from './dataset-manifest.ts';
import { parseParticipantStats, statsForParticipants } from './participant-stats.ts';
import type { ParticipantStatsFile } from './participant-stats.ts';
import { readShard } from './read-shard.ts';
import { rowFrames, rowNonEmptyFrameIdxs } from './shard-columns.ts';
import type { ShardColumns } from './shard-columns.ts';

export interface DatasetShard {
  readonly file: string;
  /** Global index of this shard's first row. */
  readonly rowOffset: number;
  readonly columns: ShardColumns;
}

/**
 * A preprocessed dataset held in memory. Rows are numbered globally 0..length-1 in shard order; the
 * per-row scalar columns are also gathered into global arrays for cheap filtering and sampling, while
 * frames stay as views into the shard files' bytes.
 */
export interface Dataset {
  readonly dir: string;
  readonly manifest: DatasetManifest;
  readonly length: number;
  readonly signs: readonly string[];
  /** Statistics over every row of the dataset; see statsForParticipants for a split. */
  readonly stats: NormalizationStats;
  readonly participantStats: ParticipantStatsFile;
  readonly shards: readonly DatasetShard[];
  readonly sequenceIds: BigInt64Array;
  readonly participantIds: Int32Array;
  readonly labels: Int16Array;
  locate(row: number): { readonly shard: DatasetShard; readonly row: number };
  /** Row's 64x66x3 frames, a view (no copy). */
  frames(row: number): Float32Array;
  /** Row's 64 non-empty frame indices, a view (no copy). */
  nonEmptyFrameIdxs(row: number): Float32Array;
  /** Global indices of the rows whose participant passes `include`, ascending. */
  rowsWhere(include: (participantId: number) => boolean): Uint32Array;
  /** Normalisation statistics over the rows of the chosen participants only. */
  statsForParticipants(include: (participantId: number) => boolean): NormalizationStats;
}

/** Loads every shard of a dataset directory written by `npm run preprocess` (see README.md). */
export function openDataset(dir: string): Dataset {
  const manifestPath = join(dir, DATASET_FILES.manifest);
  if (!existsSync(manifestPath)) {
    const code = existsSync(dir) ? 'dataset_incomplete' : 'dataset_missing';
    throw new DatasetError(code, dir, `no ${DATASET_FILES.manifest}: run (or finish) npm run preprocess`);
  }
  const manifest = parseDatasetManifest(readJson(manifestPath, 'manifest_invalid'), manifestPath);
  if (manifest.preprocessVersion !== PREPROCESS_VERSION) {
    throw new DatasetError(
      'preprocess_version',
      manifestPath,
      `written by preprocessing ${manifest.preprocessVersion}, this code is ${PREPROCESS_VERSION}: preprocess again`,
    );
  }
  const statsPath = join(dir, DATASET_FILES.stats);
  const stats = loadStats(statsPath);
  const participantStatsPath = join(dir, DATASET_FILES.participantStats);
  const participantStats = parseParticipantStats(
    readJson(participantStatsPath, 'stats_invalid'),
    participantStatsPath,
  );

  const shards: DatasetShard[] = [];
  let rowOffset = 0;
  for (const entry of manifest.shards) {
    const path = join(dir, entry.file);
    const columns = readShard(path);
    if (columns.length !== entry.rows) {
      throw new DatasetError(
        'shard_mismatch',
        path,
        `holds ${columns.length} rows, dataset.json says ${entry.rows}`,
      );
    }
    shards.push({ file: entry.file, rowOffset, columns });
    rowOffset += columns.length;
  }
  const length = rowOffset;

  const sequenceIds = new BigInt64Array(length);
  const participantIds = new Int32Array(length);
  const labels = new Int16Array(length);
  const shardOfRow = new Uint32Array(length);
  for (const [s, shard] of shards.entries()) {
    sequenceIds.set(shard.columns.sequenceId, shard.rowOffset);
    participantIds.set(shard.columns.participantId, shard.rowOffset);
    labels.set(shard.columns.label, shard.rowOffset);
    shardOfRow.fill(s, shard.rowOffset, shard.rowOffset + shard.columns.length);
  }

  const locate = (row: number) => {
    if (!Number.isInteger(row) || row < 0 || row >= length) {
      throw new RangeError(`row ${row} is outside the dataset's ${length} rows`);
    }
    const shard = shards[shardOfRow[row]!]!;
    return { shard, row: row - shard.rowOffset };
  };

  return {
    dir,
    manifest,
    length,
    signs: manifest.signs,
    stats,
    participantStats,
    shards,
    sequenceIds,
    participantIds,
    labels,
    locate,
    frames(row) {
      const at = locate(row);
      return rowFrames(at.shard.columns, at.row);
    },
    nonEmptyFrameIdxs(row) {
      const at = locate(row);
      return rowNonEmptyFrameIdxs(at.shard.columns, at.row);
    },
    rowsWhere(include) {
      const rows: number[] = [];
      for (let i = 0; i < length; i++) if (include(participantIds[i]!)) rows.push(i);
      return Uint32Array.from(rows);
    },
    statsForParticipants(include) {
      return statsForParticipants(participantStats, include);
    },
  };
}

function loadStats(path: string): NormalizationStats {
  const value = readJson(path, 'stats_invalid');
  try {
    return validateStats(value, path);
  } catch (err) {
    throw new DatasetError('stats_invalid', path, (err as Error).message);
  }
}

function readJson(path: string, code: 'manifest_invalid' | 'stats_invalid'): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new DatasetError(code, path, (err as Error).message);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw new DatasetError(code, path, `not JSON: ${(err as Error).message}`);
  }
}
