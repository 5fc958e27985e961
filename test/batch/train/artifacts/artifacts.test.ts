/**
 * The artifacts as the trainer and the exporter use them: written to disk, read back through
 * artifacts.json and readCheckpoint, every ONNX file loaded and run in onnxruntime-node (and the
 * device step on onnxruntime's WebGPU provider, where an adapter is available).
 */
import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SignCastConfig } from '../../../../src/batch/model/config/config-schema.ts';
import { fromModel } from '../../../../src/batch/onnx/from-model.ts';
import { openSession, toOrtTensor } from '../../../../src/batch/onnx/ort-session.ts';
import type { SessionOptions } from '../../../../src/batch/onnx/ort-session.ts';
import type { TensorData } from '../../../../src/batch/onnx/tensor-data.ts';
import { ARTIFACTS_FORMAT } from '../../../../src/batch/train/artifacts/artifacts-manifest.ts';
import type { ArtifactsManifest } from '../../../../src/batch/train/artifacts/artifacts-manifest.ts';
import { buildArtifacts } from '../../../../src/batch/train/artifacts/build-artifacts.ts';
import { buildInferenceModel } from '../../../../src/batch/train/artifacts/build-inference-model.ts';
import { writeArtifacts } from '../../../../src/batch/train/artifacts/write-artifacts.ts';
import { readCheckpoint } from '../../../../src/batch/train/checkpoint/read-checkpoint.ts';
import type { LoadedCheckpoint } from '../../../../src/batch/train/checkpoint/read-checkpoint.ts';
import { adamWConstants, adamWStepScalars } from '../../../../src/batch/train/optimizer/adamw-update.ts';
import { DynamicLossScale } from '../../../../src/batch/train/optimizer/loss-scale.ts';
import { ModelState, TrainStep } from '../../../../src/batch/train/loop/train-step.ts';
import {
  NO_RANDOMNESS,
  smallBatch,
  smallConfig,
  smallPacked,
  smallStats,
  smallTrainFeeds,
} from '../../model/small-model.ts';
import { softwareWebGpu } from '../../software-webgpu.ts';

const BATCH = 5;
let root: string;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'signcast-artifacts-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

type SessionName = 'training' | 'eval' | 'optimizer' | 'inference' | 'stepFed' | 'stepDevice';

interface Loaded {
  readonly dir: string;
  readonly manifest: ArtifactsManifest;
  readonly checkpoint: LoadedCheckpoint;
  readonly sessions: Record<SessionName, ort.InferenceSession>;
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
      stepFed: await open(manifest.trainStep.fed.file),
      stepDevice: await open(manifest.trainStep.device.file),
    },
  };
}

const ort32 = (data: Float32Array, dims: readonly number[]) => new ort.Tensor('float32', data, [...dims]);
const asOrt = (feeds: Record<string, TensorData>) =>
  Object.fromEntries(Object.entries(feeds).map(([k, v]) => [k, toOrtTensor(v)]));

function paramFeeds(checkpoint: LoadedCheckpoint): Record<string, ort.Tensor> {
  return Object.fromEntries(
    checkpoint.parameters.map((p) => [p.name, ort32(p.data as Float32Array, p.shape)]),
  );
}

/** Parameters and moments a little away from the initial ones, so that every update term matters. */
function stateFeeds(checkpoint: LoadedCheckpoint): Record<string, ort.Tensor> {
  const state: Record<string, ort.Tensor> = {};
  for (const t of [...checkpoint.parameters, ...checkpoint.optimizerState]) {
    const data = Float32Array.from(t.data as Float32Array, (v, i) =>
      t.name.startsWith('adam_v') ? 1e-4 + v : v + 1e-3 * Math.sin(i),
    );
    state[t.name] = ort32(data, t.shape);
  }
  return state;
}

function trainFeeds(
  config: SignCastConfig,
  a: Loaded,
  form: 'training' | 'fed' | 'device',
  seed: number,
  step: number,
) {
  const streams =
    form === 'training'
      ? a.manifest.training.noise
      : form === 'fed'
        ? a.manifest.trainStep.fed.noise
        : a.manifest.trainStep.device.noise;
  return asOrt(smallTrainFeeds(config, smallBatch(config, BATCH), streams, seed, step));
}

const evalFeeds = (config: SignCastConfig) => asOrt(smallPacked(config, smallBatch(config, BATCH)).feeds);
const inferenceFeeds = (config: SignCastConfig) => {
  const b = smallBatch(config, BATCH);
  return asOrt({ frames: b.frames, non_empty_frame_idxs: b.non_empty_frame_idxs });
};

function stepScalars(config: SignCastConfig, step: number): Record<string, ort.Tensor> {
  const s = adamWStepScalars(step, 2e-3, 1e-4, adamWConstants(config.train));
  return { step_size: ort32(Float32Array.of(s.stepSize), []), decay: ort32(Float32Array.of(s.decay), []) };
}

/** A step graph's whole feed for (seed, step): batch, noise, AdamW's scalars and `state`. */
function stepFeeds(
  config: SignCastConfig,
  a: Loaded,
  form: 'fed' | 'device',
  seed: number,
  step: number,
  state: Record<string, ort.Tensor>,
): Record<string, ort.Tensor> {
  return { ...trainFeeds(config, a, form, seed, step), ...state, ...stepScalars(config, step) };
}

const softmaxRows = (logits: Float32Array, classes: number): number[] => {
  const out: number[] = [];
  for (let r = 0; r < logits.length / classes; r++) {
    const row = Array.from(logits.subarray(r * classes, (r + 1) * classes));
    const max = Math.max(...row);
    const e = row.map((v) => Math.exp(v - max));
    const s = e.reduce((x, y) => x + y, 0);
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

/** Largest difference of two runs' outputs, relative to each output's largest value. */
function worstRelative(a: ort.InferenceSession.OnnxValueMapType, b: ort.InferenceSession.OnnxValueMapType) {
  let worst = 0;
  let at = '';
  for (const name of Object.keys(b)) {
    const x = a[name]!.data as Float32Array;
    const y = b[name]!.data as Float32Array;
    let diff = 0;
    let scale = 1e-12;
    for (let i = 0; i < x.length; i++) {
      diff = Math.max(diff, Math.abs(x[i]! - y[i]!));
      scale = Math.max(scale, Math.abs(y[i]!));
    }
    if (diff / scale > worst) [worst, at] = [diff / scale, name];
  }
  return { worst, at };
}

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
    expect(m.frameMask).toEqual({ stream: 0, keep: 1 - config.model.frame_mask });
    const params = m.parameters.map((p) => p.name);
    const state = [...params, ...params.map((p) => `adam_m.${p}`), ...params.map((p) => `adam_v.${p}`)];
    const sorted = (names: readonly string[]) => [...names].sort();
    expect(m.training.noise.map((n) => n.name)).toEqual(['noise/1', 'noise/2', 'noise/3']);
    expect(m.trainStep.device.noise.map((n) => n.name)).toEqual([
      'noise_key/1',
      'noise_key/2',
      'noise_key/3',
    ]);
    expect(sorted(a.sessions.training.inputNames)).toEqual(
      sorted([...m.batchInputs, ...m.training.noise.map((n) => n.name), ...params]),
    );
    expect(a.sessions.training.outputNames).toEqual([
      'loss',
      'logits',
      'hits',
      ...params.map((p) => m.training.gradients[p]),
    ]);
    expect(sorted(a.sessions.eval.inputNames)).toEqual(sorted([...m.batchInputs, ...params]));
    expect(a.sessions.eval.outputNames).toEqual(['loss', 'probabilities']);
    expect(a.sessions.inference.inputNames).toEqual(['frames', 'non_empty_frame_idxs']);
    expect(a.sessions.inference.outputNames).toEqual(['probabilities']);
    expect(a.sessions.optimizer.inputNames).toEqual([
      'step_size',
      'decay',
      ...params,
      ...params.map((p) => `${p}_grad`),
      ...params.map((p) => `adam_m.${p}`),
      ...params.map((p) => `adam_v.${p}`),
    ]);
    const updated = [
      ...params.flatMap((p) => [`${p}.new`, `adam_m.${p}.new`, `adam_v.${p}.new`]),
      'global_norm',
    ];
    expect(a.sessions.optimizer.outputNames).toEqual(updated);
    for (const [session, noise] of [
      [a.sessions.stepFed, m.trainStep.fed.noise],
      [a.sessions.stepDevice, m.trainStep.device.noise],
    ] as const) {
      expect(sorted(session.inputNames)).toEqual(
        sorted([...m.batchInputs, ...noise.map((n) => n.name), 'step_size', 'decay', ...state]),
      );
      expect(sorted(session.outputNames)).toEqual(sorted(['loss', 'hits', ...updated]));
    }
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
    const out = await a.sessions.training.run({ ...trainFeeds(config, a, 'training', 1, 1), ...params });
    expect(Number.isFinite(out.loss!.data[0] as number)).toBe(true);
    expect(out.logits!.dims).toEqual([BATCH, config.model.classes]);
    expect(out.hits!.dims).toEqual([3]);
    const feeds: Record<string, ort.Tensor> = { ...stepScalars(config, 1), ...params };
    let sumSquares = 0;
    for (const p of a.checkpoint.parameters) {
      const g = out[a.manifest.training.gradients[p.name]!]!;
      expect(g.dims).toEqual(p.shape);
      for (const v of g.data as Float32Array) sumSquares += v * v;
      feeds[`${p.name}_grad`] = g;
      feeds[`adam_m.${p.name}`] = ort32(new Float32Array(g.size), p.shape);
      feeds[`adam_v.${p.name}`] = ort32(new Float32Array(g.size), p.shape);
    }
    const updated = await a.sessions.optimizer.run(feeds);
    const norm = updated.global_norm!.data[0] as number;
    expect(Math.abs(norm - Math.sqrt(sumSquares)) / norm).toBeLessThan(1e-5);
    const kernel = a.checkpoint.parameters.find((p) => p.name === 'head/classifier/kernel')!;
    expect(
      maxDiff(updated['head/classifier/kernel.new']!.data as Float32Array, kernel.data as Float32Array),
    ).toBeGreaterThan(0);
  });

  it('the whole step in one graph equals the training graph followed by the optimizer graph', async () => {
    const state = stateFeeds(a.checkpoint);
    const params = Object.fromEntries(a.manifest.parameters.map((p) => [p.name, state[p.name]!]));
    const trained = await a.sessions.training.run({ ...trainFeeds(config, a, 'training', 3, 9), ...params });
    const grads = Object.fromEntries(
      a.manifest.parameters.map((p) => [`${p.name}_grad`, trained[`${p.name}_grad`]!]),
    );
    const separate = await a.sessions.optimizer.run({ ...stepScalars(config, 9), ...state, ...grads });
    const together = await a.sessions.stepFed.run(stepFeeds(config, a, 'fed', 3, 9, state));
    expect(together.loss!.data[0]).toBeCloseTo(trained.loss!.data[0] as number, 6);
    expect(Array.from(together.hits!.data as Float32Array)).toEqual(
      Array.from(trained.hits!.data as Float32Array),
    );
    const { worst, at } = worstRelative(together, separate);
    expect(worst, at).toBeLessThan(1e-5);
  });

  it('the device step (noise drawn in the graph) gives the fed step bit for bit on the CPU', async () => {
    const state = stateFeeds(a.checkpoint);
    const run = (session: ort.InferenceSession, form: 'fed' | 'device') =>
      session.run(stepFeeds(config, a, form, 11, 4, state));
    const fed = await run(a.sessions.stepFed, 'fed');
    const device = await run(a.sessions.stepDevice, 'device');
    expect(worstRelative(device, fed).worst).toBe(0);
  });

  const gpu = softwareWebGpu();
  it.skipIf(!gpu.available)(
    `runs the device step on onnxruntime's WebGPU provider as on the CPU (${gpu.description})`,
    async () => {
      const state = stateFeeds(a.checkpoint);
      const feeds = stepFeeds(config, a, 'device', 11, 4, state);
      const cpu = await a.sessions.stepDevice.run(feeds);
      const options: SessionOptions = { ep: 'webgpu' };
      const session = await openSession(join(a.dir, a.manifest.trainStep.device.file), options);
      const webgpu = await session.run(feeds);
      await session.release();
      expect(Math.abs((webgpu.loss!.data[0] as number) - (cpu.loss!.data[0] as number))).toBeLessThan(1e-5);
      expect(Array.from(webgpu.hits!.data as Float32Array)).toEqual(
        Array.from(cpu.hits!.data as Float32Array),
      );
      const { worst, at } = worstRelative(webgpu, cpu);
      expect(worst, at).toBeLessThan(1e-4);
    },
  );

  it('replays its randomness from (seed, step): same noise, same result; another step, another result', async () => {
    const params = paramFeeds(a.checkpoint);
    const lossAt = async (seed: number, step: number) =>
      (await a.sessions.training.run({ ...trainFeeds(config, a, 'training', seed, step), ...params })).loss!
        .data[0];
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
    expect(a.manifest.training.noise).toEqual([]);
    expect(a.manifest.frameMask.keep).toBe(1);
    const feeds = { ...trainFeeds(config, a, 'training', 1, 1), ...paramFeeds(a.checkpoint) };
    const first = await a.sessions.training.run(feeds);
    const second = await a.sessions.training.run(feeds);
    for (const name of a.sessions.training.outputNames) {
      expect(Array.from(second[name]!.data as Float32Array)).toEqual(
        Array.from(first[name]!.data as Float32Array),
      );
    }
  });

  it('inference_model.onnx (padded clips) and eval_model.onnx (packed) equal the training forward to 1e-5', async () => {
    const params = paramFeeds(a.checkpoint);
    const train = await a.sessions.training.run({ ...trainFeeds(config, a, 'training', 1, 1), ...params });
    const evalOut = await a.sessions.eval.run({ ...evalFeeds(config), ...params });
    const inference = await a.sessions.inference.run(inferenceFeeds(config));
    const expected = softmaxRows(train.logits!.data as Float32Array, config.model.classes);
    expect(maxDiff(inference.probabilities!.data as Float32Array, expected)).toBeLessThan(1e-5);
    expect(maxDiff(evalOut.probabilities!.data as Float32Array, expected)).toBeLessThan(1e-5);
    expect(Math.abs((evalOut.loss!.data[0] as number) - (train.loss!.data[0] as number))).toBeLessThan(1e-5);
  });

  it('counts top-1/5/10 hits on the device as the host metrics count them from the logits', async () => {
    const params = paramFeeds(a.checkpoint);
    const out = await a.sessions.training.run({ ...trainFeeds(config, a, 'training', 1, 1), ...params });
    const logits = out.logits!.data as Float32Array;
    const labels = Array.from(smallBatch(config, BATCH).labels.data as BigInt64Array, Number);
    const C = config.model.classes;
    const expected = [1, 5, 10].map(
      (k) =>
        labels.filter((label, b) => {
          const row = logits.subarray(b * C, (b + 1) * C);
          const above = row.filter((v) => v > row[label]!).length;
          return k === 1 ? row.indexOf(Math.max(...row)) === label : above < k;
        }).length,
    );
    expect(Array.from(out.hits!.data as Float32Array)).toEqual(expected);
  });

  it('buildInferenceModel bakes in given parameter values (the export path)', async () => {
    const changed = a.checkpoint.parameters.map((p) => ({
      name: p.name,
      shape: p.shape,
      data: (p.data as Float32Array).map((v, i) => v * 0.9 + (i % 3) * 0.01),
    }));
    const session = await openSession(buildInferenceModel(config, smallStats(), changed));
    const fed = Object.fromEntries(changed.map((p) => [p.name, ort32(p.data, p.shape)]));
    const evalOut = await a.sessions.eval.run({ ...evalFeeds(config), ...fed });
    const inference = await session.run(inferenceFeeds(config));
    expect(
      maxDiff(inference.probabilities!.data as Float32Array, evalOut.probabilities!.data as Float32Array),
    ).toBeLessThan(1e-6);
    const original = await a.sessions.inference.run(inferenceFeeds(config));
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
    expect(stdout).toContain('train_step_device_model.onnx');
    const manifest = JSON.parse(await readFile(join(out, 'artifacts.json'), 'utf8')) as ArtifactsManifest;
    expect(manifest.config.model.units).toBe(32);
    expect(manifest.config.model.landmark_units).toBe(128);
    expect(stdout).toContain(manifest.parameterCount.toLocaleString('en-US'));
  });
});

describe('mixed precision (train.precision fp16)', () => {
  const config16 = smallConfig('train.precision=fp16');
  const config32 = smallConfig();
  let a16: Loaded;
  let a32: Loaded;
  beforeAll(async () => {
    a16 = await writeAndLoad('fp16', config16);
    a32 = await writeAndLoad('fp32-beside-fp16', config32);
  });
  const scale = (value: number) => ({ loss_scale: ort32(Float32Array.of(value), []) });
  /** The mixed-precision step on the state stateFeeds gives, with loss scale `s`. */
  const mixed = (s: number, form: 'fed' | 'device' = 'fed') =>
    (form === 'fed' ? a16.sessions.stepFed : a16.sessions.stepDevice).run({
      ...stepFeeds(config16, a16, form, 3, 9, stateFeeds(a32.checkpoint)),
      ...scale(s),
    });
  const dtypesOf = async (file: string) => {
    const graph = fromModel(await readFile(join(a16.dir, file)));
    return new Set(graph.nodes.flatMap((n) => n.outputs.map((t) => t.dtype)));
  };

  it('runs the step in float16 over float32 parameters, moments and loss; eval and inference stay float32', async () => {
    expect(a16.manifest.trainStep.lossScaleInput).toBe('loss_scale');
    expect(a32.manifest.trainStep.lossScaleInput).toBeUndefined();
    expect(await dtypesOf(a16.manifest.trainStep.fed.file)).toContain('float16');
    expect(await dtypesOf(a16.manifest.trainStep.device.file)).toContain('float16');
    for (const file of [a16.manifest.eval.file, a16.manifest.inference.file])
      expect(await dtypesOf(file)).not.toContain('float16');
    // Same parameters and initial values as the float32 artifacts: the checkpoint does not change.
    expect(a16.checkpoint.parameters.map((p) => [p.name, p.data])).toEqual(
      a32.checkpoint.parameters.map((p) => [p.name, p.data]),
    );
  });

  it('gives the float32 step to float16 rounding, whatever the loss scale; the device form gives the fed one bit for bit', async () => {
    const fp32 = await a32.sessions.stepFed.run(
      stepFeeds(config32, a32, 'fed', 3, 9, stateFeeds(a32.checkpoint)),
    );
    const scaled = await mixed(4096);
    const unscaled = await mixed(1);
    const loss = (r: ort.InferenceSession.OnnxValueMapType) => r.loss!.data[0] as number;
    const norm = (r: ort.InferenceSession.OnnxValueMapType) => r.global_norm!.data[0] as number;
    // float16 arithmetic did happen (a float32 graph would agree to the last bit) ...
    expect(loss(scaled)).not.toBe(loss(fp32));
    // ... and stayed within its rounding: measured 1e-4 on the loss, 6e-4 on the worst updated value.
    expect(Math.abs(loss(scaled) - loss(fp32)) / loss(fp32)).toBeLessThan(2e-3);
    expect(Math.abs(norm(scaled) - norm(fp32)) / norm(fp32)).toBeLessThan(1e-2);
    const { worst, at } = worstRelative(scaled, fp32);
    expect(worst, at).toBeLessThan(1e-2);
    // The scale is divided out again: a power of two changes no bit of the norm.
    expect(norm(unscaled)).toBe(norm(scaled));
    expect(worstRelative(await mixed(4096, 'device'), scaled).worst).toBe(0);
  });

  it('reports an overflowing loss scale as a non-finite norm, with the loss itself finite', async () => {
    const out = await mixed(2 ** 40);
    expect(Number.isFinite(out.loss!.data[0] as number)).toBe(true);
    expect(Number.isFinite(out.global_norm!.data[0] as number)).toBe(false);
  });
});

describe('TrainStep under mixed precision', () => {
  const config = smallConfig('train.precision=fp16');
  let a: Loaded;
  beforeAll(async () => {
    a = await writeAndLoad('fp16-trainstep', config);
  });
  const batch = () => smallPacked(config, smallBatch(config, BATCH)).packed;
  const hyper = { learningRate: 2e-3, weightDecay: 1e-4 };
  const stepWith = (lossScale: DynamicLossScale) => {
    const state = ModelState.fromCheckpoint(a.checkpoint, a.manifest.parameters);
    return { state, step: new TrainStep(a.manifest, a.sessions.stepFed, state, 'fed', BATCH, lossScale) };
  };

  it('drops an update whose scaled gradients overflow and halves the scale; applies the next; grows after a run of good ones', async () => {
    const lossScale = DynamicLossScale.start({ initial: 2 ** 40, growthInterval: 2, minimum: 1 });
    const { state, step } = stepWith(lossScale);
    const kernel = 'head/classifier/kernel';
    const before = state.get(kernel);
    const dropped = await step.run(batch(), hyper, 1, 1);
    expect(dropped.applied).toBe(false);
    expect(Number.isFinite(dropped.loss)).toBe(true);
    expect(state.get(kernel)).toBe(before);
    expect(lossScale.scale).toBe(2 ** 39);

    const small = DynamicLossScale.start({ initial: 1024, growthInterval: 2, minimum: 1 });
    const good = stepWith(small);
    const first = await good.step.run(batch(), hyper, 1, 1);
    expect(first.applied).toBe(true);
    expect(good.state.get(kernel)).not.toBe(before);
    expect(small.scale).toBe(1024);
    await good.step.run(batch(), hyper, 1, 2);
    expect(small.scale).toBe(2048);
    expect(small.toCheckpoint()).toEqual({ 'amp/loss_scale': 2048, 'amp/good_steps': 0 });
    await good.state.release();
    await state.release();
  });

  it('stops with non_finite_loss when an overflow would take the scale below its minimum', async () => {
    const { state, step } = stepWith(
      DynamicLossScale.start({ initial: 2 ** 40, growthInterval: 2, minimum: 2 ** 40 }),
    );
    await expect(step.run(batch(), hyper, 1, 1)).rejects.toMatchObject({
      code: 'non_finite_loss',
      message: expect.stringMatching(/overflowed at every loss scale down to 1099511627776.*train in fp32/),
    });
    await state.release();
  });

  it('refuses a float32 step graph with a loss scale, and a mixed one without', async () => {
    const state = ModelState.fromCheckpoint(a.checkpoint, a.manifest.parameters);
    expect(() => new TrainStep(a.manifest, a.sessions.stepFed, state, 'fed', BATCH)).toThrow(
      /give TrainStep a DynamicLossScale/,
    );
    await state.release();
  });
});

describe('DynamicLossScale', () => {
  it('continues from a checkpoint exactly, and starts afresh from one written before mixed precision', () => {
    const settings = { initial: 8, growthInterval: 3, minimum: 1 };
    const scale = DynamicLossScale.start(settings);
    for (const finite of [true, true, false, true]) scale.update(finite);
    const resumed = DynamicLossScale.fromCheckpoint(scale.toCheckpoint(), settings);
    for (const finite of [true, true, true]) {
      expect(resumed.update(finite)).toBe(scale.update(finite));
      expect(resumed.scale).toBe(scale.scale);
    }
    expect(scale.scale).toBe(8);
    expect(DynamicLossScale.fromCheckpoint({ 'epoch/steps': 3 }, settings).scale).toBe(8);
  });
});
