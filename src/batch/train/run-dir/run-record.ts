import { readFileSync, writeFileSync } from 'node:fs';
import { RunDirError } from './run-dir-error.ts';

export const RUN_FORMAT = 'signcast-run';
export const RUN_FORMAT_VERSION = 1;

export type ValidationMode = 'participants' | 'none';

/** run.json: what a run was trained on, fixed when it starts so that --resume continues the same run. */
export interface RunRecord {
  readonly format: typeof RUN_FORMAT;
  readonly formatVersion: typeof RUN_FORMAT_VERSION;
  readonly createdAt: string;
  /** --preset as given, and the --set overrides (config.json holds the result). */
  readonly preset: string;
  readonly overrides: readonly string[];
  /** Absolute path of the preprocessed dataset. */
  readonly data: string;
  readonly datasetCreatedAt: string;
  readonly val: ValidationMode;
  readonly heldOutSigners: readonly number[];
  readonly trainClips: number;
  readonly valClips: number;
  /** W&B's run id for this run, so a resumed run logs into the same W&B run. */
  readonly wandbRunId: string;
}

export function writeRunRecord(path: string, record: RunRecord): void {
  writeFileSync(path, `${JSON.stringify(record, null, 2)}\n`);
}

export function readRunRecord(path: string): RunRecord {
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new RunDirError('bad_run_dir', `${path}: ${(err as Error).message}`);
  }
  const r = value as Partial<RunRecord> | null;
  if (
    r === null ||
    typeof r !== 'object' ||
    r.format !== RUN_FORMAT ||
    r.formatVersion !== RUN_FORMAT_VERSION ||
    typeof r.data !== 'string' ||
    (r.val !== 'participants' && r.val !== 'none') ||
    !Array.isArray(r.heldOutSigners) ||
    typeof r.wandbRunId !== 'string'
  ) {
    throw new RunDirError('bad_run_dir', `${path} is not a ${RUN_FORMAT} v${RUN_FORMAT_VERSION} record`);
  }
  return r as RunRecord;
}
