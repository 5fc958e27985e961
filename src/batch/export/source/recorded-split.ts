import { existsSync } from 'node:fs';
import { runPath } from '../../train/run-dir/run-layout.ts';
import { readRunRecord, type RunRecord } from '../../train/run-dir/run-record.ts';

/** The dataset a run trained on and the signers it held out, as its run.json records them. */
export interface RecordedSplit {
  readonly dataDir: string;
  /** Empty when the run trained with --val none. */
  readonly validationParticipants: readonly number[];
  readonly record: RunRecord;
}

/** undefined for a folder that is not a training run (an artifacts folder). */
export function recordedSplit(runDir: string): RecordedSplit | undefined {
  const path = runPath(runDir, 'record');
  if (!existsSync(path)) return undefined;
  const record = readRunRecord(path);
  return { dataDir: record.data, validationParticipants: record.heldOutSigners, record };
}
