import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Dataset } from '../../data/dataset/open-dataset.ts';
import type { SignCastConfig } from '../../model/config/config-schema.ts';
import { serializeConfig } from '../../model/config/serialize-config.ts';
import { validateConfig } from '../../model/config/validate-config.ts';
import { INPUT_SIZE } from '../../../shared/preprocess/constants.ts';
import { ARTIFACT_FILES } from '../artifacts/artifact-files.ts';
import { ARTIFACTS_FORMAT } from '../artifacts/artifacts-manifest.ts';
import type { ArtifactsManifest } from '../artifacts/artifacts-manifest.ts';
import { buildArtifacts } from '../artifacts/build-artifacts.ts';
import { writeArtifacts } from '../artifacts/write-artifacts.ts';
import { RunDirError } from './run-dir-error.ts';
import { runPath } from './run-layout.ts';
import { readRunRecord, RUN_FORMAT, RUN_FORMAT_VERSION, writeRunRecord } from './run-record.ts';
import type { RunRecord, ValidationMode } from './run-record.ts';
import { heldOutSigners } from './held-out-signers.ts';

/** Everything the training loop needs about a run, fresh or resumed. */
export interface PreparedRun {
  readonly runDir: string;
  readonly config: SignCastConfig;
  readonly record: RunRecord;
  readonly dataset: Dataset;
  readonly manifest: ArtifactsManifest;
  readonly artifactsDir: string;
  /** Labelled rows of the training signers, ascending. */
  readonly trainRows: Uint32Array;
  /** Labelled rows of the held-out signers; null with --val none. */
  readonly valRows: Uint32Array | null;
  /** True when the artifacts were built by this call (a fresh run). */
  readonly builtArtifacts: boolean;
}

export interface NewRunOptions {
  readonly runDir: string;
  readonly config: SignCastConfig;
  readonly preset: string;
  readonly overrides: readonly string[];
  readonly dataset: Dataset;
  readonly val: ValidationMode;
}

/**
 * Starts a run directory: splits the signers, builds the artifacts from the training split's
 * normalisation statistics (held-out signers must not leak into them) and writes config.json and
 * run.json. A directory that already has a run.json is refused: that is what --resume is for.
 */
export async function createRun(o: NewRunOptions): Promise<PreparedRun> {
  const runDir = resolve(o.runDir);
  if (existsSync(runPath(runDir, 'record'))) {
    throw new RunDirError(
      'run_exists',
      `${runDir} already holds a run: continue it with --resume ${o.runDir}`,
    );
  }
  checkDataFitsConfig(o.dataset, o.config);
  const seed = o.config.train.seed;
  const heldOut = o.val === 'participants' ? heldOutSigners(o.dataset.participantIds, seed) : [];
  const held = new Set(heldOut);
  if (o.val === 'participants' && heldOut.length === 0) {
    throw new RunDirError(
      'data_mismatch',
      `--val participants needs at least 2 signers; ${o.dataset.dir} has fewer (use --val none)`,
    );
  }
  const split = splitRows(o.dataset, held, o.val);
  mkdirSync(runDir, { recursive: true });
  writeFileSync(runPath(runDir, 'config'), serializeConfig(o.config));

  const stats =
    o.val === 'participants' ? o.dataset.statsForParticipants((id) => !held.has(id)) : o.dataset.stats;
  const artifactsDir = runPath(runDir, 'artifacts');
  const artifacts = buildArtifacts(o.config, stats, { seed });
  await writeArtifacts(artifactsDir, artifacts);

  const record: RunRecord = {
    format: RUN_FORMAT,
    formatVersion: RUN_FORMAT_VERSION,
    createdAt: new Date().toISOString(),
    preset: o.preset,
    overrides: o.overrides,
    data: resolve(o.dataset.dir),
    datasetCreatedAt: o.dataset.manifest.createdAt,
    val: o.val,
    heldOutSigners: heldOut,
    trainClips: split.trainRows.length,
    valClips: split.valRows?.length ?? 0,
    wandbRunId: randomBytes(6).toString('hex'),
  };
  // Written last: a directory with run.json is a run that --resume can continue.
  writeRunRecord(runPath(runDir, 'record'), record);
  return {
    runDir,
    config: o.config,
    record,
    dataset: o.dataset,
    manifest: artifacts.manifest,
    artifactsDir,
    ...split,
    builtArtifacts: true,
  };
}

/** The run's data directory as recorded, unless the caller names another (e.g. the data moved). */
export function recordedDataDir(runDir: string): string {
  return readRunRecord(runPath(resolve(runDir), 'record')).data;
}

/** Reopens a run for --resume: the same config, split and artifacts it started with. */
export function openRun(runDirArg: string, dataset: Dataset): PreparedRun {
  const runDir = resolve(runDirArg);
  if (!existsSync(runPath(runDir, 'record'))) {
    throw new RunDirError('bad_run_dir', `${runDir} is not a run directory (no run.json)`);
  }
  const record = readRunRecord(runPath(runDir, 'record'));
  let config: SignCastConfig;
  try {
    config = validateConfig(
      JSON.parse(readFileSync(runPath(runDir, 'config'), 'utf8')),
      runPath(runDir, 'config'),
    );
  } catch (err) {
    throw new RunDirError('bad_run_dir', `cannot read the run's config: ${(err as Error).message}`);
  }
  checkDataFitsConfig(dataset, config);
  if (dataset.manifest.createdAt !== record.datasetCreatedAt) {
    throw new RunDirError(
      'data_mismatch',
      `${dataset.dir} is not the dataset this run started on (created ${dataset.manifest.createdAt}, ` +
        `the run recorded ${record.datasetCreatedAt}); resuming on other data would not continue the same run`,
    );
  }
  const artifactsDir = runPath(runDir, 'artifacts');
  const manifest = readManifest(artifactsDir);
  if (serializeConfig(manifest.config) !== serializeConfig(config)) {
    throw new RunDirError(
      'bad_run_dir',
      `${artifactsDir} was built from another config than ${runDir}/config.json`,
    );
  }
  const split = splitRows(dataset, new Set(record.heldOutSigners), record.val);
  return { runDir, config, record, dataset, manifest, artifactsDir, ...split, builtArtifacts: false };
}

function readManifest(artifactsDir: string): ArtifactsManifest {
  const path = join(artifactsDir, ARTIFACT_FILES.manifest);
  let manifest: ArtifactsManifest;
  try {
    manifest = JSON.parse(readFileSync(path, 'utf8')) as ArtifactsManifest;
  } catch (err) {
    throw new RunDirError('bad_run_dir', `cannot read ${path}: ${(err as Error).message}`);
  }
  if (manifest.format !== ARTIFACTS_FORMAT) {
    throw new RunDirError(
      'bad_run_dir',
      `${path}: format ${String(manifest.format)}, expected ${ARTIFACTS_FORMAT}`,
    );
  }
  return manifest;
}

function splitRows(
  dataset: Dataset,
  heldOut: ReadonlySet<number>,
  val: ValidationMode,
): { trainRows: Uint32Array; valRows: Uint32Array | null } {
  const labelled = (rows: Uint32Array) => rows.filter((r) => dataset.labels[r]! >= 0);
  const trainRows = labelled(dataset.rowsWhere((id) => !heldOut.has(id)));
  const valRows = val === 'participants' ? labelled(dataset.rowsWhere((id) => heldOut.has(id))) : null;
  if (trainRows.length === 0)
    throw new RunDirError('data_mismatch', `${dataset.dir}: no labelled training clips`);
  if (valRows?.length === 0)
    throw new RunDirError('data_mismatch', `${dataset.dir}: no labelled validation clips`);
  return { trainRows, valRows };
}

function checkDataFitsConfig(dataset: Dataset, config: SignCastConfig): void {
  if (dataset.signs.length !== config.model.classes) {
    throw new RunDirError(
      'data_mismatch',
      `${dataset.dir} has ${dataset.signs.length} signs but the config has classes=${config.model.classes} ` +
        `(set --set classes=${dataset.signs.length})`,
    );
  }
  if (config.model.frames !== INPUT_SIZE) {
    throw new RunDirError(
      'data_mismatch',
      `the config has frames=${config.model.frames}, the preprocessed clips have ${INPUT_SIZE} frames`,
    );
  }
}
