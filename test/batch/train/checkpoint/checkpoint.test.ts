import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadPreset } from '../../../../src/batch/model/config/load-preset.ts';
import { CheckpointError } from '../../../../src/batch/train/checkpoint/checkpoint-error.ts';
import {
  CHECKPOINT_FILES,
  checkpointDir,
  checkpointDirName,
} from '../../../../src/batch/train/checkpoint/checkpoint-layout.ts';
import { decodeSafetensors } from '../../../../src/batch/train/checkpoint/decode-safetensors.ts';
import {
  latestCheckpoint,
  listCheckpoints,
  pruneCheckpoints,
} from '../../../../src/batch/train/checkpoint/latest-checkpoint.ts';
import {
  expectFloat32Tensors,
  readCheckpoint,
} from '../../../../src/batch/train/checkpoint/read-checkpoint.ts';
import { saveCheckpoint, writeCheckpoint } from '../../../../src/batch/train/checkpoint/write-checkpoint.ts';
import type { CheckpointContent } from '../../../../src/batch/train/checkpoint/write-checkpoint.ts';
import { Random } from '../../../../src/batch/random/random.ts';

const root = mkdtempSync(join(tmpdir(), 'signcast-checkpoint-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function content(step: number): CheckpointContent {
  const rng = Random.seeded(1, 'values', step);
  const tensor = (name: string, shape: number[]) => ({
    name,
    shape,
    data: Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => rng.nextFloat() - 0.5),
  });
  return {
    step,
    epoch: Math.floor(step / 10),
    epochStep: step % 10,
    config: loadPreset('demo'),
    parameters: [
      tensor('embedding.lips.dense1', [80, 16]),
      tensor('landmark_weights', [3]),
      tensor('pos', [65, 8]),
    ],
    optimizerState: [
      tensor('adam_m.embedding.lips.dense1', [80, 16]),
      tensor('adam_m.landmark_weights', [3]),
      tensor('adam_v.embedding.lips.dense1', [80, 16]),
    ],
    metrics: { val_accuracy: 0.125, train_loss: Number.NaN },
  };
}

async function checkpointCode(dir: string): Promise<string> {
  try {
    await readCheckpoint(dir);
  } catch (err) {
    expect(err).toBeInstanceOf(CheckpointError);
    return (err as CheckpointError).code;
  }
  throw new Error('expected a CheckpointError');
}

describe('checkpoint write and read', () => {
  it('round-trips tensors, position, config and metrics', async () => {
    const runDir = join(root, 'round-trip');
    const written = content(23);
    const dir = await saveCheckpoint(runDir, written);
    expect(dir).toBe(join(runDir, 'checkpoints', 'step-000000000023'));
    expect(readdirSync(dir).sort()).toEqual([CHECKPOINT_FILES.sidecar, CHECKPOINT_FILES.tensors]);

    const loaded = await readCheckpoint(dir);
    expect(loaded.sidecar).toMatchObject({
      step: 23,
      epoch: 2,
      epochStep: 3,
      config: written.config,
    });
    expect(loaded.sidecar.metrics).toEqual({ val_accuracy: 0.125, train_loss: null });
    expect(loaded.parameters.map((t) => t.name)).toEqual(written.parameters.map((t) => t.name));
    loaded.parameters.forEach((t, i) => expect(t.data).toEqual(written.parameters[i]!.data));
    loaded.optimizerState.forEach((t, i) => expect(t.data).toEqual(written.optimizerState[i]!.data));
    expect(loaded.sidecar.parameters[1]).toEqual({ name: 'landmark_weights', dtype: 'F32', shape: [3] });
    // Every random stream is keyed by (seed, epoch, step): there is no generator state to store.
    const json = JSON.parse(readFileSync(join(dir, CHECKPOINT_FILES.sidecar), 'utf8')) as object;
    expect(Object.keys(json)).not.toContain('rng');
  });

  it("reads checkpoints written with the old, always empty 'rng' field", async () => {
    const dir = await saveCheckpoint(join(root, 'old-rng'), content(8));
    const path = join(dir, CHECKPOINT_FILES.sidecar);
    const current = await readCheckpoint(dir);
    writeFileSync(path, JSON.stringify({ ...JSON.parse(readFileSync(path, 'utf8')), rng: {} }));
    const old = await readCheckpoint(dir);
    expect(old.sidecar).toEqual(current.sidecar);
    old.parameters.forEach((t, i) => expect(t.data).toEqual(current.parameters[i]!.data));
  });

  it('makes the tensor file self-describing for other safetensors readers', async () => {
    const dir = await saveCheckpoint(join(root, 'self-describing'), content(5));
    const decoded = decodeSafetensors(new Uint8Array(readFileSync(join(dir, CHECKPOINT_FILES.tensors))));
    expect(decoded.metadata.format).toBe('signcast-checkpoint');
    expect(decoded.metadata.step).toBe('5');
    expect(JSON.parse(decoded.metadata.config!)).toEqual(loadPreset('demo'));
    expect(decoded.tensors).toHaveLength(6);
  });

  it('detects a tensor file that is not the one its JSON was written with', async () => {
    const runDir = join(root, 'mismatch');
    const a = await saveCheckpoint(runDir, content(1));
    const b = await saveCheckpoint(runDir, content(2));
    writeFileSync(join(a, CHECKPOINT_FILES.tensors), readFileSync(join(b, CHECKPOINT_FILES.tensors)));
    expect(await checkpointCode(a)).toBe('sidecar_mismatch');

    const flipped = readFileSync(join(b, CHECKPOINT_FILES.tensors));
    flipped[flipped.length - 1]! ^= 1;
    writeFileSync(join(b, CHECKPOINT_FILES.tensors), flipped);
    expect(await checkpointCode(b)).toBe('sidecar_mismatch');

    const c = await saveCheckpoint(runDir, content(3));
    const full = readFileSync(join(c, CHECKPOINT_FILES.tensors));
    writeFileSync(join(c, CHECKPOINT_FILES.tensors), full.subarray(0, full.length - 100));
    expect(await checkpointCode(c)).toBe('truncated');
  });

  it('checks that the JSON lists exactly the stored tensors with their dtypes and shapes', async () => {
    const runDir = join(root, 'listing');
    const edit = async (step: number, change: (json: Record<string, unknown>) => void): Promise<string> => {
      const dir = await saveCheckpoint(runDir, content(step));
      const path = join(dir, CHECKPOINT_FILES.sidecar);
      const json = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
      change(json);
      writeFileSync(path, JSON.stringify(json));
      return dir;
    };
    type Entries = { name: string; dtype: string; shape: number[] }[];
    expect(await checkpointCode(await edit(10, (j) => ((j.parameters as Entries)[0]!.dtype = 'F64')))).toBe(
      'dtype_mismatch',
    );
    expect(
      await checkpointCode(await edit(11, (j) => ((j.parameters as Entries)[0]!.shape = [16, 80]))),
    ).toBe('shape_mismatch');
    expect(
      await checkpointCode(await edit(12, (j) => ((j.parameters as Entries)[0]!.name = 'renamed'))),
    ).toBe('missing_tensor');
    expect(await checkpointCode(await edit(13, (j) => (j.optimizerState as Entries).pop()))).toBe(
      'sidecar_mismatch',
    );
    expect(
      await checkpointCode(
        await edit(14, (j) => ((j.config as { model: { units: number } }).model.units = 190)),
      ),
    ).toBe('bad_sidecar');
    expect(await checkpointCode(await edit(16, (j) => (j.format = 'other')))).toBe('bad_sidecar');
    const dir = await edit(17, () => undefined);
    writeFileSync(join(dir, CHECKPOINT_FILES.sidecar), '{"step": ');
    expect(await checkpointCode(dir)).toBe('bad_sidecar');
  });

  it('rewrites a directory in place (e.g. the best model) without ever pairing old JSON with new tensors', async () => {
    const best = join(root, 'run-best', 'best');
    await writeCheckpoint(best, content(4));
    await writeCheckpoint(best, content(9));
    const loaded = await readCheckpoint(best);
    expect(loaded.sidecar.step).toBe(9);
    expect(loaded.parameters[0]!.data).toEqual(content(9).parameters[0]!.data);
    expect(readdirSync(best).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('checks loaded tensors against what the model expects', async () => {
    const loaded = await readCheckpoint(await saveCheckpoint(join(root, 'expect'), content(7)));
    const [pos, lips] = expectFloat32Tensors(
      loaded.parameters,
      [
        { name: 'pos', shape: [65, 8] },
        { name: 'embedding.lips.dense1', shape: [80, 16] },
      ],
      'resume',
    );
    expect(pos).toEqual(content(7).parameters[2]!.data);
    expect(lips).toHaveLength(1280);
    const code = (fn: () => unknown): string => {
      try {
        fn();
        return 'none';
      } catch (err) {
        return (err as CheckpointError).code;
      }
    };
    expect(code(() => expectFloat32Tensors(loaded.parameters, [{ name: 'pos', shape: [65, 16] }], 'r'))).toBe(
      'shape_mismatch',
    );
    expect(code(() => expectFloat32Tensors(loaded.parameters, [{ name: 'head', shape: [3] }], 'r'))).toBe(
      'missing_tensor',
    );
    const f64 = [{ ...loaded.parameters[1]!, dtype: 'F64' as const, data: new Float64Array(3) }];
    expect(code(() => expectFloat32Tensors(f64, [{ name: 'landmark_weights', shape: [3] }], 'r'))).toBe(
      'dtype_mismatch',
    );
  });
});

describe('finding and pruning checkpoints', () => {
  it('picks the highest complete step and ignores half-written directories and leftovers', async () => {
    const runDir = join(root, 'latest');
    expect(await latestCheckpoint(runDir)).toBeNull();
    await saveCheckpoint(runDir, content(8));
    await saveCheckpoint(runDir, content(120));
    await saveCheckpoint(runDir, content(30));
    // A crash after the tensor file but before the JSON: step 200 has no checkpoint.json.
    const torn = checkpointDir(runDir, 200);
    mkdirSync(torn, { recursive: true });
    writeFileSync(join(torn, CHECKPOINT_FILES.tensors), 'partial');
    writeFileSync(join(torn, `${CHECKPOINT_FILES.sidecar}.tmp`), '{');
    mkdirSync(join(runDir, 'checkpoints', 'best'));
    writeFileSync(join(runDir, 'checkpoints', 'step-000000000999'), 'a file, not a directory');
    expect(await latestCheckpoint(runDir)).toBe(checkpointDir(runDir, 120));
    expect((await listCheckpoints(runDir)).map((c) => c.step)).toEqual([8, 30, 120]);
  });

  it('prunes all but the newest checkpoints, and stale incomplete ones', async () => {
    const runDir = join(root, 'prune');
    for (const step of [1, 2, 3, 4]) await saveCheckpoint(runDir, content(step));
    mkdirSync(checkpointDir(runDir, 0));
    mkdirSync(checkpointDir(runDir, 5));
    const removed = await pruneCheckpoints(runDir, 2);
    expect(removed).toEqual([0, 1, 2].map((s) => checkpointDir(runDir, s)));
    expect(readdirSync(join(runDir, 'checkpoints')).sort()).toEqual(
      [1, 2, 3].map((i) => checkpointDirName(i + 2)),
    );
    expect(existsSync(checkpointDir(runDir, 5))).toBe(true);
  });
});
