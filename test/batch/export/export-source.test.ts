import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveCheckpoint } from '../../../src/batch/export/source/resolve-checkpoint.ts';
import { readExportSource } from '../../../src/batch/export/source/read-export-source.ts';
import { recordedSplit } from '../../../src/batch/export/source/recorded-split.ts';
import { buildArtifacts, type Artifacts } from '../../../src/batch/train/artifacts/build-artifacts.ts';
import { ARTIFACT_FILES } from '../../../src/batch/train/artifacts/artifact-files.ts';
import { writeArtifacts } from '../../../src/batch/train/artifacts/write-artifacts.ts';
import { saveCheckpoint, writeCheckpoint } from '../../../src/batch/train/checkpoint/write-checkpoint.ts';
import { neutralStats } from '../../../src/shared/preprocess/neutral-stats.ts';
import { TINY_CONFIG } from './tiny-model.ts';

let root: string;
let artifactsDir: string;
let runDir: string;
let artifacts: Artifacts;

/** The initial checkpoint with every parameter scaled: a stand-in for trained weights. */
function trained(step: number, scale: number) {
  return {
    ...artifacts.checkpoint,
    step,
    epoch: step,
    parameters: artifacts.checkpoint.parameters.map((p) => ({
      ...p,
      data: (p.data as Float32Array).map((v) => v * scale + 0.01),
    })),
  };
}

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'signcast-export-source-'));
  artifacts = buildArtifacts(TINY_CONFIG, neutralStats());
  artifactsDir = join(root, 'artifacts-only');
  await writeArtifacts(artifactsDir, artifacts);
  // A run folder as the trainer lays it out: artifacts/, checkpoints/step-N/, best/.
  runDir = join(root, 'run');
  await writeArtifacts(join(runDir, 'artifacts'), artifacts);
  await saveCheckpoint(runDir, trained(3, 0.5));
  await saveCheckpoint(runDir, trained(7, 0.25));
  await writeCheckpoint(join(runDir, 'best'), trained(5, 2));
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('readExportSource', () => {
  it('an artifacts folder exports its initial checkpoint as exactly its inference model', async () => {
    const source = await readExportSource(artifactsDir, undefined);
    expect(source.checkpoint.dir).toBe(artifactsDir);
    expect(source.config).toEqual(TINY_CONFIG);
    const inference = new Uint8Array(await readFile(join(artifactsDir, ARTIFACT_FILES.inference)));
    expect(Buffer.from(source.floatModel).equals(Buffer.from(inference))).toBe(true);
    expect(recordedSplit(artifactsDir)).toBeUndefined();
  });

  it('a run exports best by default, latest or a named folder on request, with those weights', async () => {
    expect(await resolveCheckpoint(runDir, undefined)).toBe(join(runDir, 'best'));
    expect(await resolveCheckpoint(runDir, 'latest')).toBe(join(runDir, 'checkpoints', 'step-000000000007'));
    const third = join(runDir, 'checkpoints', 'step-000000000003');
    expect(await resolveCheckpoint(runDir, third)).toBe(third);
    const best = await readExportSource(runDir, 'best');
    const latest = await readExportSource(runDir, 'latest');
    expect(best.checkpoint.sidecar.step).toBe(5);
    expect(latest.checkpoint.sidecar.step).toBe(7);
    expect(Buffer.from(best.floatModel).equals(Buffer.from(latest.floatModel))).toBe(false);
  });

  it('says what is missing', async () => {
    await expect(resolveCheckpoint(artifactsDir, 'best')).rejects.toThrow(/no best\/ checkpoint/);
    await expect(resolveCheckpoint(artifactsDir, 'latest')).rejects.toThrow(/no complete checkpoint/);
    await expect(readExportSource(join(root, 'nowhere'), undefined)).rejects.toThrow(/no such run folder/);
  });
});
