import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SignCastConfig } from '../../model/config/config-schema.ts';
import { validateConfig } from '../../model/config/validate-config.ts';
import { readEpochRecords } from '../logging/metrics-jsonl.ts';
import type { BestEvaluation } from '../loop/best-model.ts';
import type { InitialCheck } from '../loop/initial-check.ts';
import type { EpochRecord } from '../metrics/epoch-record.ts';
import { bestEvaluationPath, RUN_FILES, runPath } from '../run-dir/run-layout.ts';
import { readRunRecord } from '../run-dir/run-record.ts';
import type { RunRecord } from '../run-dir/run-record.ts';

/** Everything report.html shows, read from a run directory; parts a young run lacks are null. */
export interface ReportData {
  readonly runDir: string;
  readonly config: SignCastConfig;
  readonly record: RunRecord | null;
  readonly parameterCount: number | null;
  readonly epochs: readonly EpochRecord[];
  readonly initialCheck: InitialCheck | null;
  readonly best: BestEvaluation | null;
}

export function loadReportData(runDir: string): ReportData {
  const configPath = runPath(runDir, 'config');
  const config = validateConfig(JSON.parse(readFileSync(configPath, 'utf8')), configPath);
  const recordPath = runPath(runDir, 'record');
  const manifestPath = join(runDir, RUN_FILES.artifacts, 'artifacts.json');
  return {
    runDir,
    config,
    record: existsSync(recordPath) ? readRunRecord(recordPath) : null,
    parameterCount: existsSync(manifestPath)
      ? (JSON.parse(readFileSync(manifestPath, 'utf8')) as { parameterCount: number }).parameterCount
      : null,
    epochs: readEpochRecords(runPath(runDir, 'metrics')),
    initialCheck: readJson<InitialCheck>(runPath(runDir, 'initialCheck')),
    best: readJson<BestEvaluation>(bestEvaluationPath(runDir)),
  };
}

function readJson<T>(path: string): T | null {
  if (!existsSync(path)) return null;
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as T;
  } catch {
    return null;
  }
}
