import { DatasetError } from './dataset-error.ts';

export const DATASET_FORMAT = 'signcast-landmark-dataset';
export const DATASET_FORMAT_VERSION = 1;

/** Fixed file names inside a dataset directory (see README.md). */
export const DATASET_FILES = {
  manifest: 'dataset.json',
  stats: 'stats.json',
  participantStats: 'participant-stats.json',
  rejects: 'rejects.csv',
} as const;

export interface ShardEntry {
  /** File name relative to the dataset directory. */
  readonly file: string;
  readonly rows: number;
}

/** `dataset.json`: written last, so its presence means every shard and side file is complete. */
export interface DatasetManifest {
  readonly format: typeof DATASET_FORMAT;
  readonly formatVersion: typeof DATASET_FORMAT_VERSION;
  /** PREPROCESS_VERSION of the code that wrote the shards; a model must be trained and served with the same. */
  readonly preprocessVersion: string;
  readonly createdAt: string;
  readonly source: {
    readonly dataDir: string;
    readonly trainCsv: string;
    readonly signMap: string;
    /** --limit of the run, null for the whole train.csv. */
    readonly limit: number | null;
  };
  readonly counts: {
    /** Rows of train.csv that were considered. */
    readonly listed: number;
    /** Rows written to shards (= listed - rejected). */
    readonly rows: number;
    readonly rejected: number;
    readonly labeled: number;
    readonly unlabeled: number;
    readonly participants: number;
  };
  /** Sign names in prediction order: label i is signs[i]. */
  readonly signs: readonly string[];
  readonly shards: readonly ShardEntry[];
}

export function parseDatasetManifest(value: unknown, source: string): DatasetManifest {
  const fail = (detail: string): never => {
    throw new DatasetError('manifest_invalid', source, detail);
  };
  if (!isRecord(value)) return fail('not a JSON object');
  if (value.format !== DATASET_FORMAT)
    fail(`format is ${JSON.stringify(value.format)}, expected "${DATASET_FORMAT}"`);
  if (value.formatVersion !== DATASET_FORMAT_VERSION) {
    fail(`formatVersion ${JSON.stringify(value.formatVersion)} is not ${DATASET_FORMAT_VERSION}`);
  }
  if (typeof value.preprocessVersion !== 'string') fail('preprocessVersion missing');
  const signs = value.signs;
  if (!Array.isArray(signs) || !signs.every((s) => typeof s === 'string'))
    fail('signs must be a string array');
  const shards = value.shards;
  if (
    !Array.isArray(shards) ||
    !shards.every(
      (s) => isRecord(s) && typeof s.file === 'string' && isCount(s.rows) && !s.file.includes('/'),
    )
  ) {
    fail('shards must be [{file, rows}] with plain file names');
  }
  const counts = value.counts;
  if (
    !isRecord(counts) ||
    !['listed', 'rows', 'rejected', 'labeled', 'unlabeled', 'participants'].every((k) => isCount(counts[k]))
  ) {
    fail('counts must hold listed, rows, rejected, labeled, unlabeled, participants');
  }
  const total = (shards as ShardEntry[]).reduce((sum, s) => sum + s.rows, 0);
  if (isRecord(counts) && counts.rows !== total)
    fail(`counts.rows is ${String(counts.rows)} but the shards hold ${total}`);
  return value as unknown as DatasetManifest;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}
