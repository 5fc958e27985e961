/**
 * The artifacts as the trainer and the exporter will use them: written to disk, read back through
 * artifacts.json and readCheckpoint, every ONNX file loaded and run in onnxruntime-node.
 */
import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SignCastConfig } from '../../../../src/batch/model/config/config-schema.ts';
import { noiseFeeds } from '../../../../src/batch/onnx/noise/fed-noise.ts';
import { openSession, toOrtTensor } from '../../../../src/batch/onnx/ort-session.ts';
import type { TensorData } from '../../../../src/batch/onnx/tensor-data.ts';
import { ARTIFACTS_FORMAT } from '../../../../src/batch/train/artifacts/artifacts-manifest.ts';
import type { ArtifactsManifest } from '../../../../src/batch/train/artifacts/artifacts-manifest.ts';
import { buildArtifacts } from '../../../../src/batch/train/artifacts/build-artifacts.ts';
import { buildInferenceModel } from '../../../../src/batch/train/artifacts/build-inference-model.ts';
import { writeArtifacts } from '../../../../src/batch/train/artifacts/write-artifacts.ts';
import { readCheckpoint } from '../../../../src/batch/train/checkpoint/read-checkpoint.ts';
import type { LoadedCheckpoint } from '../../../../src/batch/train/checkpoint/read-checkpoint.ts';
import { NO_RANDOMNESS, smallBatch, smallConfig, smallStats } from '../../model/small-model.ts';

const BATCH = 5;
let root: string;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'signcast-artifacts-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

interface Loaded {
  readonly dir: string;
  readonly manifest: ArtifactsManifest;
  readonly checkpoint: LoadedCheckpoint;
  readonly sessions: Record<'training' | 'eval' | 'optimizer' | 'inference', ort.InferenceSession>;
}

async function writeAndLoad(name: string, config: SignCastConfig): Promise<Loaded> {
  const dir = join(root, name);
  await writeArtifacts(dir, buildArtifacts(config, smallStats(), { seed: 7 }));
  const manifest = JSON.parse(await readFile(join(dir, 'artifacts.json'), 'utf8')) as ArtifactsManifest;
  const checkpoint = await readCheckpoint(join(dir, manifest.checkpoint));
  const open = (file: string) => openSession(join(dir, file));
  return {
    dir,
    manifest,
    checkpoint,
    sessions: {
      training: await open(manifest.training.file),
      eval: await open(manifest.eval.file),
      optimizer: await open(manifest.optimizer.file),
      inference: await open(manifest.inference.file),
    },
  };
}

function paramFeeds(checkpoint: LoadedCheckpoint): Record<string, ort.Tensor> {
  return Object.fromEntries(
    checkpoint.parameters.map((p) => [
      p.name,
      new ort.Tensor('float32', p.data as Float32Array, [...p.shape]),
    ]),
  );
}

function batchFeeds(config: SignCastConfig, withLabels = true): Record<string, ort.Tensor> {
  const b = smallBatch(config, BATCH);
  const feeds: Record<string, TensorData> = {
    frames: b.frames,
    non_empty_frame_idxs: b.non_empty_frame_idxs,
  };
  if (withLabels) feeds.labels = b.labels;
  return Object.fromEntries(Object.entries(feeds).map(([k, v]) => [k, toOrtTensor(v)]));
}

function trainingNoise(manifest: ArtifactsManifest, seed: number, step: number): Record<string, ort.Tensor> {
  const feeds = noiseFeeds(manifest.training.noiseInputs, { batch: BATCH }, seed, step);
  return Object.fromEntries(Object.entries(feeds).map(([k, v]) => [k, toOrtTensor(v)]));
}

const softmaxRows = (logits: Float32Array, classes: number): number[] => {
  const out: number[] = [];
  for (let r = 0; r < logits.length / classes; r++) {
    const row = Array.from(logits.subarray(r * classes, (r + 1) * classes));
    const max = Math.max(...row);
    const e = row.map((v) => Math.exp(v - max));
    const s = e.reduce((a, b) => a + b, 0);
    out.push(...e.map((v) => v / s));
  }
  return out;
};

const maxDiff = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
};

describe('training artifacts (toy sizes, randomness on)', () => {
  const config = smallConfig();
  let a: Loaded;
  beforeAll(async () => {
    a = await writeAndLoad('random', config);
  });

  it("writes an artifacts.json whose names are exactly the graphs' inputs and outputs", () => {
    const m = a.manifest;
    expect(m.format).toBe(ARTIFACTS_FORMAT);
    expect(m.config).toEqual(config);
    expect(m.parameterCount).toBe(m.parameters.reduce((n, p) => n + p.shape.reduce((x, y) => x * y, 1), 0));
    const params = m.parameters.map((p) => p.name);
    expect(m.training.noiseInputs.map((n) => n.name)).toEqual(['noise/0', 'noise/1', 'noise/2', 'noise/3']);
    expect(a.sessions.training.inputNames).toEqual([
      ...m.training.batchInputs,
      ...m.training.noiseInputs.map((n) => n.name),
      ...params,
    ]);
    expect(a.sessions.training.outputNames).toEqual([
      'loss',
      'logits',
      ...params.map((p) => m.training.gradients[p]),
    ]);
    expect(a.sessions.eval.inputNames).toEqual([...m.training.batchInputs, ...params]);
    expect(a.sessions.eval.outputNames).toEqual(['loss', 'probabilities']);
    expect(a.sessions.inference.inputNames).toEqual(['frames', 'non_empty_frame_idxs']);
    expect(a.sessions.inference.outputNames).toEqual(['probabilities']);
    expect(a.sessions.optimizer.inputNames).toEqual([
      'learning_rate',
      'weight_decay',
      'step',
      ...params,
      ...params.map((p) => `${p}_grad`),
      ...params.map((p) => `adam_m.${p}`),
      ...params.map((p) => `adam_v.${p}`),
    ]);
    expect(a.sessions.optimizer.outputNames).toEqual([
      ...params.flatMap((p) => [`${p}.new`, `adam_m.${p}.new`, `adam_v.${p}.new`]),
      'global_norm',
    ]);
  });

  it('writes an initial checkpoint: the parameters, zero moments, step 0 and the config', () => {
    const c = a.checkpoint;
    expect(c.sidecar.step).toBe(0);
    expect(c.sidecar.config).toEqual(config);
    expect(c.parameters.map((p) => [p.name, p.shape])).toEqual(
      a.manifest.parameters.map((p) => [p.name, p.shape]),
    );
    expect(c.optimizerState.map((t) => t.name)).toEqual([
      ...a.manifest.parameters.map((p) => `adam_m.${p.name}`),
      ...a.manifest.parameters.map((p) => `adam_v.${p.name}`),
    ]);
    for (const t of c.optimizerState) expect((t.data as Float32Array).every((v) => v === 0)).toBe(true);
  });

  it('runs a training step and an optimizer step on its outputs', async () => {
    const params = paramFeeds(a.checkpoint);
    const out = await a.sessions.training.run({
      ...batchFeeds(config),
      ...trainingNoise(a.manifest, 1, 0),
      ...params,
    });
    const loss = out.loss!.data[0] as number;
    expect(Number.isFinite(loss)).toBe(true);
    expect(out.logits!.dims).toEqual([BATCH, config.model.classes]);
    const feeds: Record<string, ort.Tensor> = {
      learning_rate: new ort.Tensor('float32', [1e-3], []),
      weight_decay: new ort.Tensor('float32', [1e-5], []),
      step: new ort.Tensor('float32', [1], []),
      ...params,
    };
    let sumSquares = 0;
    for (const p of a.checkpoint.parameters) {
      const g = out[a.manifest.training.gradients[p.name]!]!;
      expect(g.dims).toEqual(p.shape);
      for (const v of g.data as Float32Array) sumSquares += v * v;
      feeds[`${p.name}_grad`] = g;
      feeds[`adam_m.${p.name}`] = new ort.Tensor('float32', new Float32Array(g.size), [...p.shape]);
      feeds[`adam_v.${p.name}`] = new ort.Tensor('float32', new Float32Array(g.size), [...p.shape]);
    }
    const updated = await a.sessions.optimizer.run(feeds);
    const norm = updated.global_norm!.data[0] as number;
    expect(Math.abs(norm - Math.sqrt(sumSquares)) / norm).toBeLessThan(1e-5);
    const kernel = a.checkpoint.parameters.find((p) => p.name === 'head/classifier/kernel')!;
    expect(
      maxDiff(updated['head/classifier/kernel.new']!.data as Float32Array, kernel.data as Float32Array),
    ).toBeGreaterThan(0);
  });

  it('replays its randomness from (seed, step): same noise, same result; another step, another result', async () => {
    const params = paramFeeds(a.checkpoint);
    const lossAt = async (seed: number, step: number) =>
      (
        await a.sessions.training.run({
          ...batchFeeds(config),
          ...trainingNoise(a.manifest, seed, step),
          ...params,
        })
      ).loss!.data[0];
    const first = await lossAt(1, 5);
    expect(await lossAt(1, 5)).toBe(first);
    expect(await lossAt(1, 6)).not.toBe(first);
  });
});

describe('training artifacts with every rate at 0', () => {
  const config = smallConfig(...NO_RANDOMNESS);
  let a: Loaded;
  beforeAll(async () => {
    a = await writeAndLoad('deterministic', config);
  });

  it('has no noise inputs and is deterministic', async () => {
    expect(a.manifest.training.noiseInputs).toEqual([]);
    const feeds = { ...batchFeeds(config), ...paramFeeds(a.checkpoint) };
    const first = await a.sessions.training.run(feeds);
    const second = await a.sessions.training.run(feeds);
    for (const name of a.sessions.training.outputNames) {
      expect(Array.from(second[name]!.data as Float32Array)).toEqual(
        Array.from(first[name]!.data as Float32Array),
      );
    }
  });

  it('inference_model.onnx and eval_model.onnx equal the training forward to 1e-5', async () => {
    const params = paramFeeds(a.checkpoint);
    const train = await a.sessions.training.run({ ...batchFeeds(config), ...params });
    const evalOut = await a.sessions.eval.run({ ...batchFeeds(config), ...params });
    const inference = await a.sessions.inference.run(batchFeeds(config, false));
    const expected = softmaxRows(train.logits!.data as Float32Array, config.model.classes);
    expect(maxDiff(inference.probabilities!.data as Float32Array, expected)).toBeLessThan(1e-5);
    expect(maxDiff(evalOut.probabilities!.data as Float32Array, expected)).toBeLessThan(1e-5);
    expect(Math.abs((evalOut.loss!.data[0] as number) - (train.loss!.data[0] as number))).toBeLessThan(1e-5);
  });

  it('buildInferenceModel bakes in given parameter values (the export path)', async () => {
    const changed = a.checkpoint.parameters.map((p) => ({
      name: p.name,
      shape: p.shape,
      data: (p.data as Float32Array).map((v, i) => v * 0.9 + (i % 3) * 0.01),
    }));
    const session = await openSession(buildInferenceModel(config, smallStats(), changed));
    const fed = Object.fromEntries(
      changed.map((p) => [p.name, new ort.Tensor('float32', p.data, [...p.shape])]),
    );
    const evalOut = await a.sessions.eval.run({ ...batchFeeds(config), ...fed });
    const inference = await session.run(batchFeeds(config, false));
    expect(
      maxDiff(inference.probabilities!.data as Float32Array, evalOut.probabilities!.data as Float32Array),
    ).toBeLessThan(1e-6);
    const original = await a.sessions.inference.run(batchFeeds(config, false));
    expect(
      maxDiff(inference.probabilities!.data as Float32Array, original.probabilities!.data as Float32Array),
    ).toBeGreaterThan(1e-4);
  });
});

describe('npm run artifacts', () => {
  it('writes the artifacts for a preset with overrides and prints a summary', async () => {
    const out = join(root, 'cli');
    const stdout = execFileSync(
      join('node_modules', '.bin', 'tsx'),
      [
        'src/batch/cli/artifacts.ts',
        '--preset',
        'demo',
        '--set',
        'units=32',
        '--set',
        'heads=2',
        '--set',
        'blocks=1',
        '--out',
        out,
      ],
      { encoding: 'utf8' },
    );
    expect(stdout).toContain('parameters:');
    expect(stdout).toContain('training_model.onnx');
    const manifest = JSON.parse(await readFile(join(out, 'artifacts.json'), 'utf8')) as ArtifactsManifest;
    expect(manifest.config.model.units).toBe(32);
    expect(manifest.config.model.landmark_units).toBe(128);
    expect(stdout).toContain(manifest.parameterCount.toLocaleString('en-US'));
  });
});
