import { existsSync, readFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import type { SignCastConfig } from '../../model/config/config-schema.ts';
import { ARTIFACT_FILES } from '../../train/artifacts/artifact-files.ts';
import { buildInferenceModel } from '../../train/artifacts/build-inference-model.ts';
import { readCheckpoint, type LoadedCheckpoint } from '../../train/checkpoint/read-checkpoint.ts';
import type { NormalizationStats } from '../../../shared/preprocess/stats.ts';
import { validateStats } from '../../../shared/preprocess/validate-stats.ts';
import { resolveCheckpoint, type CheckpointChoice } from './resolve-checkpoint.ts';

/** What an export starts from: a checkpoint of a run (or of an artifacts folder) as a float model. */
export interface ExportSource {
  readonly runDir: string;
  readonly checkpoint: LoadedCheckpoint;
  readonly config: SignCastConfig;
  /** The normalisation statistics the model was built with (artifacts.json). */
  readonly stats: NormalizationStats;
  /** The float32 inference graph with the checkpoint's parameters. */
  readonly floatModel: Uint8Array;
}

/** artifacts.json at the run's root (an artifacts folder, or a run that keeps it there) or in artifacts/. */
function findArtifactsManifest(runDir: string): string {
  for (const path of [
    join(runDir, ARTIFACT_FILES.manifest),
    join(runDir, 'artifacts', ARTIFACT_FILES.manifest),
  ]) {
    if (existsSync(path)) return path;
  }
  throw new Error(
    `${runDir}: no ${ARTIFACT_FILES.manifest} (the run's normalisation statistics) at its root or in artifacts/`,
  );
}

export async function readExportSource(
  run: string,
  choice: CheckpointChoice | undefined,
): Promise<ExportSource> {
  const runDir = resolve(run);
  if (!existsSync(runDir)) throw new Error(`no such run folder: ${run}`);
  const checkpoint = await readCheckpoint(await resolveCheckpoint(runDir, choice));
  const artifactsPath = findArtifactsManifest(runDir);
  const artifacts = JSON.parse(readFileSync(artifactsPath, 'utf8')) as { stats?: unknown };
  const stats = validateStats(artifacts.stats, `${artifactsPath} stats`);
  const config = checkpoint.sidecar.config;
  const floatModel = buildInferenceModel(
    config,
    stats,
    checkpoint.parameters.map((t) => {
      if (!(t.data instanceof Float32Array))
        throw new Error(`${checkpoint.dir}: parameter ${t.name} is ${t.dtype}, not F32`);
      return { name: t.name, shape: t.shape, data: t.data };
    }),
  );
  return { runDir, checkpoint, config, stats, floatModel };
}

export function runName(source: ExportSource): string {
  return basename(source.runDir);
}
