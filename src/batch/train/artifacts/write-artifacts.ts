import { mkdir, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CHECKPOINT_FILES } from '../checkpoint/checkpoint-layout.ts';
import { writeCheckpoint } from '../checkpoint/write-checkpoint.ts';
import { ARTIFACT_FILES } from './artifact-files.ts';
import type { Artifacts } from './build-artifacts.ts';

export interface WrittenFile {
  readonly file: string;
  readonly bytes: number;
}

/**
 * Writes the artifacts into `dir`: the ONNX files, the initial checkpoint, and artifacts.json last,
 * so a directory with an artifacts.json is complete.
 */
export async function writeArtifacts(dir: string, artifacts: Artifacts): Promise<WrittenFile[]> {
  await mkdir(dir, { recursive: true });
  const written: WrittenFile[] = [];
  for (const [file, bytes] of Object.entries(artifacts.models)) {
    await writeFile(join(dir, file), bytes);
    written.push({ file, bytes: bytes.length });
  }
  const checkpointDir = join(dir, ARTIFACT_FILES.checkpointDir);
  await writeCheckpoint(checkpointDir, artifacts.checkpoint);
  for (const file of [CHECKPOINT_FILES.tensors, CHECKPOINT_FILES.sidecar]) {
    written.push({ file, bytes: (await stat(join(checkpointDir, file))).size });
  }
  const manifest = `${JSON.stringify(artifacts.manifest, null, 2)}\n`;
  await writeFile(join(dir, ARTIFACT_FILES.manifest), manifest);
  written.push({ file: ARTIFACT_FILES.manifest, bytes: Buffer.byteLength(manifest) });
  return written;
}
