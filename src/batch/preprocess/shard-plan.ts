import { createHash } from 'node:crypto';
import { resolve } from 'node:path';
import { PREPROCESS_VERSION } from '../../shared/preprocess/constants.ts';
import { DATASET_FORMAT_VERSION } from '../data/dataset/dataset-manifest.ts';
import type { TrainRow } from '../data/kaggle/read-train-csv.ts';

export interface PlannedFile {
  /** As listed in train.csv (what rejects.csv reports). */
  readonly path: string;
  /** Absolute path the worker reads. */
  readonly file: string;
  readonly participantId: number;
  readonly sequenceId: number;
  /** Index in the sign map, -1 when the row has no sign. */
  readonly label: number;
  /** The row's sign when the sign map does not know it (the file is then rejected unread). */
  readonly unknownSign: string | null;
}

/**
 * One fixed chunk of train.csv rows and the shard it becomes. The fingerprint covers everything that
 * decides the shard's content, so a resumed run reuses a finished shard only when it would write the
 * same one.
 */
export interface ShardPlan {
  readonly index: number;
  /** `shard-00000`: the Arrow file is `<name>.arrow`, its journal record `journal/<name>.json`. */
  readonly name: string;
  readonly files: readonly PlannedFile[];
  readonly fingerprint: string;
}

export const SHARD_NAME_PATTERN = /^shard-\d{5,}$/;

export function shardName(index: number): string {
  return `shard-${String(index).padStart(5, '0')}`;
}

export function planShards(
  rows: readonly TrainRow[],
  signs: readonly string[],
  options: { readonly dataDir: string; readonly shardSize: number },
): ShardPlan[] {
  const { shardSize } = options;
  if (!Number.isInteger(shardSize) || shardSize < 1)
    throw new RangeError(`shard size must be >= 1, got ${shardSize}`);
  const dataDir = resolve(options.dataDir);
  const labelOf = new Map(signs.map((sign, index) => [sign, index]));
  const files = rows.map((row): PlannedFile => {
    const label = row.sign === null ? -1 : (labelOf.get(row.sign) ?? -1);
    const unknownSign = row.sign !== null && !labelOf.has(row.sign) ? row.sign : null;
    return {
      path: row.path,
      file: resolve(dataDir, row.path),
      participantId: row.participantId,
      sequenceId: row.sequenceId,
      label,
      unknownSign,
    };
  });
  const plans: ShardPlan[] = [];
  for (let start = 0, index = 0; start < files.length; start += shardSize, index++) {
    const chunk = files.slice(start, start + shardSize);
    plans.push({ index, name: shardName(index), files: chunk, fingerprint: fingerprint(chunk) });
  }
  return plans;
}

function fingerprint(files: readonly PlannedFile[]): string {
  const hash = createHash('sha256');
  hash.update(JSON.stringify({ PREPROCESS_VERSION, DATASET_FORMAT_VERSION }));
  for (const f of files) {
    hash.update(JSON.stringify([f.file, f.participantId, f.sequenceId, f.label, f.unknownSign]));
  }
  return hash.digest('hex');
}
