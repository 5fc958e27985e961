import { createHash } from 'node:crypto';
import { mkdir, open, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { SignCastConfig } from '../../model/config/config-schema.ts';
import { serializeConfig } from '../../model/config/serialize-config.ts';
import { CHECKPOINT_FILES, checkpointDir } from './checkpoint-layout.ts';
import { CHECKPOINT_FORMAT, CHECKPOINT_FORMAT_VERSION } from './checkpoint-sidecar.ts';
import type { CheckpointSidecar, TrainingPosition } from './checkpoint-sidecar.ts';
import { encodeSafetensors } from './encode-safetensors.ts';
import type { NamedTensor, TensorEntry } from './named-tensor.ts';
import { dtypeOf } from './safetensors-dtype.ts';

export interface CheckpointContent extends TrainingPosition {
  readonly config: SignCastConfig;
  readonly parameters: readonly NamedTensor[];
  readonly optimizerState: readonly NamedTensor[];
  /** Non-finite values are stored as null (JSON has no NaN). */
  readonly metrics: Readonly<Record<string, number | null>>;
}

/** Writes the checkpoint for `content.step` under `<runDir>/checkpoints/` and returns its directory. */
export async function saveCheckpoint(runDir: string, content: CheckpointContent): Promise<string> {
  const dir = checkpointDir(runDir, content.step);
  await writeCheckpoint(dir, content);
  return dir;
}

/**
 * Writes `checkpoint.safetensors` then `checkpoint.json` into `dir`, each through a temporary file that is
 * fsynced and renamed, and fsyncs the directory after each rename. An existing checkpoint.json is removed
 * first, so a directory being rewritten (e.g. "best") never pairs an old JSON with new tensors; the JSON
 * also records the tensor file's size and SHA-256, which the reader checks. A crash at any point leaves
 * either a complete checkpoint or a directory without checkpoint.json, which readers ignore.
 */
export async function writeCheckpoint(
  dir: string,
  content: CheckpointContent,
  now = new Date(),
): Promise<CheckpointSidecar> {
  await mkdir(dir, { recursive: true });
  const sidecarPath = join(dir, CHECKPOINT_FILES.sidecar);
  await rm(sidecarPath, { force: true });
  await syncDir(dir);

  const config = serializeConfig(content.config);
  const tensors = encodeSafetensors(
    [...content.parameters, ...content.optimizerState],
    {
      format: CHECKPOINT_FORMAT,
      step: String(content.step),
      epoch: String(content.epoch),
      epoch_step: String(content.epochStep),
      config,
    },
    join(dir, CHECKPOINT_FILES.tensors),
  );
  await writeDurably(join(dir, CHECKPOINT_FILES.tensors), tensors);

  const sidecar: CheckpointSidecar = {
    format: CHECKPOINT_FORMAT,
    formatVersion: CHECKPOINT_FORMAT_VERSION,
    createdAt: now.toISOString(),
    step: content.step,
    epoch: content.epoch,
    epochStep: content.epochStep,
    config: JSON.parse(config) as SignCastConfig,
    parameters: content.parameters.map(entryOf),
    optimizerState: content.optimizerState.map(entryOf),
    metrics: Object.fromEntries(
      Object.entries(content.metrics).map(([k, v]) => [k, v !== null && Number.isFinite(v) ? v : null]),
    ),
    tensors: {
      file: CHECKPOINT_FILES.tensors,
      bytes: tensors.length,
      sha256: createHash('sha256').update(tensors).digest('hex'),
    },
  };
  await writeDurably(sidecarPath, `${JSON.stringify(sidecar, null, 2)}\n`);
  return sidecar;
}

function entryOf(t: NamedTensor): TensorEntry {
  return { name: t.name, dtype: dtypeOf(t.data), shape: [...t.shape] };
}

async function writeDurably(path: string, data: Uint8Array | string): Promise<void> {
  const tmp = `${path}.tmp`;
  try {
    const handle = await open(tmp, 'w');
    try {
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(tmp, path);
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
  await syncDir(join(path, '..'));
}

/** Makes a rename itself durable: without it a power cut can undo the rename after fsync of the file. */
async function syncDir(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
