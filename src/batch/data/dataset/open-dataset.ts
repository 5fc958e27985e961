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
import { decodeShard, readShardBytes } from './read-shard.ts';
import { rowFrames, rowNonEmptyFrameIdxs } from './shard-columns.ts';
import type { ShardColumns } from './shard-columns.ts';

export interface DatasetShard {
  readonly file: string;
  /** Global index of this shard's first row. */
  readonly rowOffset: number;
  readonly columns: ShardColumns;
  /** The shard file's bytes, in shared memory (the columns are views into them). */
  readonly bytes: Uint8Array;
}

/**
 * Shards' rows numbered globally 0..length-1 in shard order: what packing a batch needs. A worker
 * thread rebuilds them from the dataset's shared shard bytes (shardRows(bytes.map(decodeShard))).
 */
export interface ClipRows {
  readonly length: number;
  /** Index into the sign map per row; -1 when the sign is unknown. */
  readonly labels: Int16Array;
  /** Row's 64x66x3 frames, a view (no copy). */
  frames(row: number): Float32Array;
  /** Row's 64 non-empty frame indices, a view (no copy). */
  nonEmptyFrameIdxs(row: number): Float32Array;
}

/**
 * A preprocessed dataset held in memory. Rows are numbered globally 0..length-1 in shard order; the
 * per-row scalar columns are also gathered into global arrays for cheap filtering and sampling, while
 * frames stay as views into the shard files' bytes.
 */
export interface Dataset extends ClipRows {
  readonly dir: string;
  readonly manifest: DatasetManifest;
  readonly signs: readonly string[];
  /** Statistics over every row of the dataset; see statsForParticipants for a split. */
  readonly stats: NormalizationStats;
  readonly participantStats: ParticipantStatsFile;
  readonly shards: readonly DatasetShard[];
  readonly sequenceIds: BigInt64Array;
  readonly participantIds: Int32Array;
  locate(row: number): { readonly shard: DatasetShard; readonly row: number };
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
    const bytes = readShardBytes(path);
    const columns = decodeShard(bytes, path);
    if (columns.length !== entry.rows) {
      throw new DatasetError(
        'shard_mismatch',
        path,
        `holds ${columns.length} rows, dataset.json says ${entry.rows}`,
      );
    }
    shards.push({ file: entry.file, rowOffset, columns, bytes });
    rowOffset += columns.length;
  }
  const rows = shardRows(shards);
  const { length, participantIds } = rows;

  return {
    dir,
    manifest,
    signs: manifest.signs,
    stats,
    participantStats,
    shards,
    ...rows,
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

/** The global row numbering of shards laid end to end (each shard's rowOffset must match it). */
export function shardRows<Shard extends { readonly columns: ShardColumns }>(
  shards: readonly Shard[],
): ClipRows & {
  readonly sequenceIds: BigInt64Array;
  readonly participantIds: Int32Array;
  locate(row: number): { readonly shard: Shard; readonly row: number };
} {
  const firstRows: number[] = [];
  let length = 0;
  for (const shard of shards) {
    firstRows.push(length);
    length += shard.columns.length;
  }
  const sequenceIds = new BigInt64Array(length);
  const participantIds = new Int32Array(length);
  const labels = new Int16Array(length);
  const shardOfRow = new Uint32Array(length);
  for (const [s, shard] of shards.entries()) {
    const first = firstRows[s]!;
    sequenceIds.set(shard.columns.sequenceId, first);
    participantIds.set(shard.columns.participantId, first);
    labels.set(shard.columns.label, first);
    shardOfRow.fill(s, first, first + shard.columns.length);
  }

  const locate = (row: number) => {
    if (!Number.isInteger(row) || row < 0 || row >= length) {
      throw new RangeError(`row ${row} is outside the dataset's ${length} rows`);
    }
    const s = shardOfRow[row]!;
    return { shard: shards[s]!, row: row - firstRows[s]! };
  };
  return {
    length,
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
