import { existsSync, readFileSync, writeFileSync, appendFileSync } from 'node:fs';
import type { EpochRecord } from '../metrics/epoch-record.ts';

/**
 * metrics.jsonl: one EpochRecord per line, appended as each epoch ends. Non-finite numbers are written as
 * null (JSON has no NaN) and read back as NaN.
 */
export function appendEpochRecord(path: string, record: EpochRecord): void {
  appendFileSync(path, `${JSON.stringify(record)}\n`);
}

export function readEpochRecords(path: string): EpochRecord[] {
  if (!existsSync(path)) return [];
  return (
    readFileSync(path, 'utf8')
      .split('\n')
      // A crash mid-append can leave a partial last line; it is dropped, and rewritten by the resumed run.
      .filter((line) => line.trim() !== '')
      .flatMap((line): EpochRecord[] => {
        try {
          return [JSON.parse(line, (_k, v: unknown) => (v === null ? Number.NaN : v)) as EpochRecord];
        } catch {
          return [];
        }
      })
      .map(restoreNulls)
  );
}

/**
 * Keeps only the epochs before `epoch` (1-based) and rewrites the file: on resume from a checkpoint taken
 * after epoch e - 1, lines a crashed run wrote for epoch e and later are redone.
 */
export function truncateEpochRecords(path: string, epoch: number): EpochRecord[] {
  const kept = readEpochRecords(path).filter((r) => r.epoch < epoch);
  writeFileSync(path, kept.map((r) => `${JSON.stringify(r)}\n`).join(''));
  return kept;
}

/** `val` and `landmarkWeights` are legitimately null; the reviver turned them into NaN. */
function restoreNulls(r: EpochRecord): EpochRecord {
  const fix = <T>(v: T): T | null => (typeof v === 'number' && Number.isNaN(v) ? null : v);
  return { ...r, val: fix(r.val), landmarkWeights: fix(r.landmarkWeights) };
}
