import { readFile } from 'node:fs/promises';
import type { StatsAccumulatorState } from '../../shared/preprocess/stats-accumulator.ts';
import type { Reject } from './reject.ts';

/** Journal records live in `<out>/journal/`, one per finished shard. */
export const JOURNAL_DIR = 'journal';
const RECORD_VERSION = 1;

/**
 * The journal entry of one finished shard, written (atomically) after its Arrow file: its presence with
 * a matching fingerprint is what lets a re-run skip the shard. It also carries everything the final
 * summary needs (rejects, per-participant statistics), so finishing never re-reads a shard.
 */
export interface ShardRecord {
  readonly recordVersion: typeof RECORD_VERSION;
  readonly name: string;
  /** The Arrow file, relative to the output directory. */
  readonly file: string;
  readonly fingerprint: string;
  /** Files listed in this chunk of train.csv. */
  readonly listed: number;
  /** Rows written (listed - rejects). */
  readonly rows: number;
  readonly labeled: number;
  /** Size of the Arrow file, checked on resume to catch a file replaced behind the journal's back. */
  readonly bytes: number;
  readonly rejects: readonly Reject[];
  readonly participantStats: Readonly<Record<string, StatsAccumulatorState>>;
}

export function makeShardRecord(fields: Omit<ShardRecord, 'recordVersion'>): ShardRecord {
  return { recordVersion: RECORD_VERSION, ...fields };
}

/** The record at `path`, or null when there is none or it is unusable (the shard is then redone). */
export async function loadShardRecord(path: string): Promise<ShardRecord | null> {
  let value: unknown;
  try {
    value = JSON.parse(await readFile(path, 'utf8'));
  } catch {
    return null;
  }
  const r = value as Partial<ShardRecord> | null;
  const ok =
    r !== null &&
    typeof r === 'object' &&
    r.recordVersion === RECORD_VERSION &&
    typeof r.name === 'string' &&
    typeof r.file === 'string' &&
    typeof r.fingerprint === 'string' &&
    [r.listed, r.rows, r.labeled, r.bytes].every((v) => Number.isSafeInteger(v)) &&
    Array.isArray(r.rejects) &&
    typeof r.participantStats === 'object' &&
    r.participantStats !== null;
  return ok ? (r as ShardRecord) : null;
}
