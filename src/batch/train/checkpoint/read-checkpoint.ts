import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CheckpointError } from './checkpoint-error.ts';
import { CHECKPOINT_FILES } from './checkpoint-layout.ts';
import { parseCheckpointSidecar } from './checkpoint-sidecar.ts';
import type { CheckpointSidecar } from './checkpoint-sidecar.ts';
import { decodeSafetensors } from './decode-safetensors.ts';
import type { DecodedTensor } from './decode-safetensors.ts';
import type { TensorEntry } from './named-tensor.ts';

export interface LoadedCheckpoint {
  readonly dir: string;
  readonly sidecar: CheckpointSidecar;
  /** In the sidecar's order. */
  readonly parameters: readonly DecodedTensor[];
  readonly optimizerState: readonly DecodedTensor[];
}

/**
 * Reads a checkpoint directory and checks that its two files belong together: the tensor file has the
 * size and SHA-256 the JSON recorded, and holds exactly the listed tensors with the listed dtypes and shapes.
 */
export async function readCheckpoint(dir: string): Promise<LoadedCheckpoint> {
  const sidecarPath = join(dir, CHECKPOINT_FILES.sidecar);
  let json: unknown;
  try {
    json = JSON.parse(await readFile(sidecarPath, 'utf8'));
  } catch (err) {
    throw new CheckpointError('bad_sidecar', sidecarPath, (err as Error).message);
  }
  const sidecar = parseCheckpointSidecar(json, sidecarPath);
  const tensorPath = join(dir, sidecar.tensors.file);
  const bytes = new Uint8Array(await readFile(tensorPath));
  if (bytes.length < sidecar.tensors.bytes) {
    throw new CheckpointError(
      'truncated',
      tensorPath,
      `${bytes.length} bytes, checkpoint.json says ${sidecar.tensors.bytes}`,
    );
  }
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  if (bytes.length !== sidecar.tensors.bytes || sha256 !== sidecar.tensors.sha256) {
    throw new CheckpointError(
      'sidecar_mismatch',
      tensorPath,
      'not the tensor file checkpoint.json was written with',
    );
  }
  const decoded = decodeSafetensors(bytes, tensorPath);
  const byName = new Map(decoded.tensors.map((t) => [t.name, t]));
  const take = (entries: readonly TensorEntry[]): DecodedTensor[] =>
    entries.map((entry) => {
      const tensor = byName.get(entry.name);
      if (!tensor) {
        throw new CheckpointError('missing_tensor', tensorPath, `${entry.name} is listed but not stored`);
      }
      byName.delete(entry.name);
      if (tensor.dtype !== entry.dtype) {
        throw new CheckpointError(
          'dtype_mismatch',
          tensorPath,
          `${entry.name} is ${tensor.dtype}, listed as ${entry.dtype}`,
        );
      }
      if (!sameShape(tensor.shape, entry.shape)) {
        throw new CheckpointError(
          'shape_mismatch',
          tensorPath,
          `${entry.name} is [${tensor.shape.join(', ')}], listed as [${entry.shape.join(', ')}]`,
        );
      }
      return tensor;
    });
  const parameters = take(sidecar.parameters);
  const optimizerState = take(sidecar.optimizerState);
  if (byName.size > 0) {
    throw new CheckpointError(
      'sidecar_mismatch',
      tensorPath,
      `unlisted tensors: ${[...byName.keys()].join(', ')}`,
    );
  }
  return { dir, sidecar, parameters, optimizerState };
}

/**
 * Checks loaded tensors against what the current model expects (same names, float32, same shapes) and
 * returns their data in the expected order, e.g. before resuming a run whose config may have changed.
 */
export function expectFloat32Tensors(
  tensors: readonly DecodedTensor[],
  expected: readonly { readonly name: string; readonly shape: readonly number[] }[],
  source: string,
): Float32Array[] {
  const byName = new Map(tensors.map((t) => [t.name, t]));
  return expected.map(({ name, shape }) => {
    const tensor = byName.get(name);
    if (!tensor) throw new CheckpointError('missing_tensor', source, `no tensor ${name}`);
    if (!(tensor.data instanceof Float32Array)) {
      throw new CheckpointError('dtype_mismatch', source, `${name} is ${tensor.dtype}, expected F32`);
    }
    if (!sameShape(tensor.shape, shape)) {
      throw new CheckpointError(
        'shape_mismatch',
        source,
        `${name} is [${tensor.shape.join(', ')}], expected [${shape.join(', ')}]`,
      );
    }
    return tensor.data;
  });
}

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}
