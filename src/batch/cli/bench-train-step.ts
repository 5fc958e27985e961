/**
 * npm run bench:train-step -- [--preset baseline] [--set key=value ...] [--batch 1000,256] [--steps 2]
 *   [--threads 2] [--mode separate|fused|both] [--opt-level all] [--no-fetches] [--profile]
 *
 * Times one training step (forward + backward + AdamW) at the given batch sizes, on this CPU, through
 * the artifacts' graphs in onnxruntime-node:
 * - separate: training_model.onnx then optimizer_model.onnx (what artifacts.json describes);
 * - fused: one graph doing both (build-train-step-graph.ts), so gradients never leave onnxruntime.
 * State (parameters, moments, gradients) lives in tensors allocated once and handed to `run` as
 * pre-allocated outputs (`fetches`), double-buffered between steps, unless --no-fetches. Noise inputs
 * are refilled in place each step. The machine is shared, so a reference GEMM (16384x512x1024 kept
 * inside its graph) is timed just before every step: the step's GFLOP/s over the GEMM's is the
 * figure other load does not change much, and times the GEMM's idle rate (--quiet-gemm) it projects
 * samples/s on an idle machine. Peak RSS is the process's maximum resident set.
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Command, InvalidArgumentError } from 'commander';
import * as ort from 'onnxruntime-node';
import { resolveConfig } from '../model/config/resolve-config.ts';
import type { SignCastConfig } from '../model/config/config-schema.ts';
import { forwardFlopsPerClip } from '../model/model-flops.ts';
import { MODEL_INPUTS } from '../model/signcast-model.ts';
import { Graph } from '../onnx/graph.ts';
import { fillNoise } from '../random/counter-hash.ts';
import * as op from '../onnx/ops/index.ts';
import { endProfile, openSession, type GraphOptimization, type SessionOptions } from '../onnx/ort-session.ts';
import { graphToBytes } from '../onnx/to-model.ts';
import { buildArtifacts } from '../train/artifacts/build-artifacts.ts';
import type { ArtifactsManifest, NoiseInputSpec } from '../train/artifacts/artifacts-manifest.ts';
import { ARTIFACT_FILES } from '../train/artifacts/artifact-files.ts';
import { buildTrainStepGraph } from '../train/bench/build-train-step-graph.ts';
import { firstMomentName, secondMomentName, updatedName } from '../train/optimizer/optimizer-names.ts';
import { neutralStats } from '../../shared/preprocess/neutral-stats.ts';

type Mode = 'separate' | 'fused';

interface CliOptions {
  preset: string;
  set: string[];
  batch: number[];
  steps: number;
  threads: number;
  mode: Mode | 'both';
  optLevel: GraphOptimization;
  fetches: boolean;
  spinning: boolean;
  profile: boolean;
  quietGemm: number;
  frames: string;
}

interface StepTiming {
  /** The reference GEMM's GFLOP/s just before the step. */
  readonly referenceGflops: number;
  /** CPU time of the whole process during the step (user + system): less sensitive to other load. */
  readonly cpuMs: number;
  readonly trainMs: number;
  readonly optimizerMs: number;
  readonly glueMs: number;
  readonly loss: number;
}

const PARAM_STATE = (name: string) => [name, firstMomentName(name), secondMomentName(name)];

function intList(value: string): number[] {
  const list = value.split(',').map(Number);
  if (list.some((n) => !Number.isInteger(n) || n < 1))
    throw new InvalidArgumentError('expected integers >= 1');
  return list;
}

function positiveInt(value: string): number {
  return intList(value)[0]!;
}

const median = (xs: readonly number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const mb = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MiB`;

/** The training step's session as the flags change it; `tag` names its profile (bench-<tag>_*.json). */
function sessionOptions(o: CliOptions, tag?: string): SessionOptions {
  return {
    preset: 'training',
    threads: o.threads,
    optimization: o.optLevel,
    spinning: o.spinning,
    ...(o.profile && tag !== undefined ? { profilePrefix: `bench-${tag}` } : {}),
  };
}

/**
 * A 16384x512x1024 MatMul whose result stays in the graph (reduced before output): what this machine's
 * GEMM gives right now. Timed just before every step, it tells how much of the CPU the step had.
 */
class ReferenceGemm {
  static readonly FLOP = 2 * 16384 * 512 * 1024;
  private constructor(
    private readonly session: ort.InferenceSession,
    private readonly feeds: Record<string, ort.Tensor>,
  ) {}

  static async create(o: CliOptions): Promise<ReferenceGemm> {
    const [m, k, n] = [16384, 512, 1024];
    const g = new Graph({ name: 'reference_gemm' });
    const a = g.input('a', 'float32', [m, k]);
    const b = g.input('b', 'float32', [k, n]);
    g.output(op.reduceSum(op.matMul(a, b), [0]), 'y');
    const session = await openSession(graphToBytes(g), sessionOptions(o));
    const reference = new ReferenceGemm(session, {
      a: new ort.Tensor('float32', new Float32Array(m * k).fill(0.01), [m, k]),
      b: new ort.Tensor('float32', new Float32Array(k * n).fill(0.01), [k, n]),
    });
    await reference.gflops();
    return reference;
  }

  async gflops(): Promise<number> {
    const t = performance.now();
    await this.session.run(this.feeds);
    return ReferenceGemm.FLOP / ((performance.now() - t) * 1e6);
  }

  release(): Promise<void> {
    return this.session.release();
  }
}

/**
 * Real frames per clip after preprocessing, as the real files give them: each file's frames with its
 * dominant hand present (FILES.tsv: frames x (1 - the smaller hand-null fraction)), capped at 64.
 */
function realFrameCounts(): number[] {
  const path = fileURLToPath(new URL('../../../../shared/asl-real/FILES.tsv', import.meta.url));
  if (!existsSync(path)) throw new Error(`${path} not found: use --frames full or --frames <n>`);
  const [header, ...lines] = readFileSync(path, 'utf8').trim().split('\n');
  const column = (name: string) => header!.split('\t').indexOf(name);
  const [frames, left, right] = [column('frames'), column('null_left_hand'), column('null_right_hand')];
  return lines.map((line) => {
    const cells = line.split('\t');
    const total = Number(cells[frames]);
    const kept = Math.round(total * (1 - Math.min(Number(cells[left]), Number(cells[right]))));
    return kept === 0 ? total : kept;
  });
}

/**
 * A batch shaped like preprocessed clips: real-frame counts drawn from `counts` (capped at the model's
 * frames), the dominant hand missing in 30% of frames, the rest padding (index -1).
 */
function batchFeeds(
  config: SignCastConfig,
  batch: number,
  counts: readonly number[],
): Record<string, ort.Tensor> {
  const t = config.model.frames;
  const frames = new Float32Array(batch * t * 66 * 3);
  const idxs = new Float32Array(batch * t).fill(-1);
  let seed = 12345;
  const random = () => (seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) / 2 ** 32;
  for (let b = 0; b < batch; b++) {
    const real = Math.max(1, Math.min(t, counts[Math.floor(random() * counts.length)]!));
    for (let f = 0; f < real; f++) {
      idxs[b * t + f] = f;
      const handMissing = random() < 0.3;
      for (let p = 0; p < 66; p++) {
        if (handMissing && p >= 40 && p < 61) continue;
        for (let c = 0; c < 3; c++) frames[((b * t + f) * 66 + p) * 3 + c] = 0.3 + 0.4 * random();
      }
    }
  }
  return {
    [MODEL_INPUTS.frames]: new ort.Tensor('float32', frames, [batch, t, 66, 3]),
    [MODEL_INPUTS.nonEmptyFrameIdxs]: new ort.Tensor('float32', idxs, [batch, t]),
    [MODEL_INPUTS.labels]: new ort.Tensor(
      'int64',
      BigInt64Array.from({ length: batch }, (_, i) => BigInt(i % config.model.classes)),
      [batch],
    ),
  };
}

class NoiseBuffers {
  private readonly buffers: { spec: NoiseInputSpec; data: Uint16Array; tensor: ort.Tensor }[];
  constructor(specs: readonly NoiseInputSpec[], batch: number) {
    this.buffers = specs.map((spec) => {
      const dims = spec.shape.map((d) => (d === 'batch' ? batch : d));
      const data = new Uint16Array(dims.reduce((a, b) => a * b, 1));
      return { spec, data, tensor: new ort.Tensor('uint16', data, dims) };
    });
  }
  /** Fill for this step (seed 1) and return the feeds. */
  feeds(step: number): Record<string, ort.Tensor> {
    const out: Record<string, ort.Tensor> = {};
    for (const b of this.buffers) {
      fillNoise(b.data, 1, step, b.spec.stream);
      out[b.spec.name] = b.tensor;
    }
    return out;
  }
}

/** Two copies of every parameter and moment: one read by a step, the other written by it. */
class DoubleBuffer {
  private current: Record<string, ort.Tensor>;
  private next: Record<string, ort.Tensor>;
  constructor(manifest: ArtifactsManifest, initial: (name: string) => Float32Array) {
    const make = (copy: boolean) => {
      const out: Record<string, ort.Tensor> = {};
      for (const p of manifest.parameters) {
        for (const name of PARAM_STATE(p.name)) {
          const data = copy ? Float32Array.from(initial(name)) : new Float32Array(initial(name).length);
          out[name] = new ort.Tensor('float32', data, [...p.shape]);
        }
      }
      return out;
    };
    this.current = make(true);
    this.next = make(false);
  }
  get state(): Record<string, ort.Tensor> {
    return this.current;
  }
  /** `<name>.new` -> the other buffer, as pre-allocated outputs. */
  fetches(): Record<string, ort.Tensor> {
    return Object.fromEntries(Object.entries(this.next).map(([k, v]) => [updatedName(k), v]));
  }
  swap(): void {
    [this.current, this.next] = [this.next, this.current];
  }
  adopt(outputs: ort.InferenceSession.ReturnType): void {
    for (const k of Object.keys(this.current)) this.current[k] = outputs[updatedName(k)]!;
  }
}

async function benchBatch(
  o: CliOptions,
  config: SignCastConfig,
  mode: Mode,
  batch: number,
  reference: ReferenceGemm,
  counts: readonly number[],
): Promise<void> {
  const artifacts = buildArtifacts(config, neutralStats());
  const { manifest, checkpoint } = artifacts;
  const initial = new Map(
    [...checkpoint.parameters, ...checkpoint.optimizerState].map((t) => [t.name, t.data as Float32Array]),
  );
  const params = manifest.parameters.map((p) => p.name);
  const state = new DoubleBuffer(manifest, (n) => initial.get(n)!);
  const noise = new NoiseBuffers(manifest.training.noiseInputs, batch);
  const data = batchFeeds(config, batch, counts);
  const scalars = (step: number) => ({
    learning_rate: new ort.Tensor('float32', [1e-3], []),
    weight_decay: new ort.Tensor('float32', [5e-5], []),
    step: new ort.Tensor('float32', [step], []),
  });
  const logits = new ort.Tensor('float32', new Float32Array(batch * config.model.classes), [
    batch,
    config.model.classes,
  ]);
  const loss = new ort.Tensor('float32', new Float32Array(1), []);
  const norm = new ort.Tensor('float32', new Float32Array(1), []);
  const grads = Object.fromEntries(
    manifest.parameters.map((p) => [
      manifest.training.gradients[p.name]!,
      new ort.Tensor('float32', new Float32Array(p.shape.reduce((a, b) => a * b, 1)), [...p.shape]),
    ]),
  );

  const created = performance.now();
  const trainTag = mode === 'fused' ? 'fused' : 'train';
  let train: ort.InferenceSession;
  let optimizer: ort.InferenceSession | undefined;
  if (mode === 'fused') {
    const { graph } = buildTrainStepGraph(config, neutralStats());
    train = await openSession(graphToBytes(graph, { parameters: 'inputs' }), sessionOptions(o, trainTag));
  } else {
    train = await openSession(artifacts.models[ARTIFACT_FILES.training]!, sessionOptions(o, trainTag));
    optimizer = await openSession(
      artifacts.models[ARTIFACT_FILES.optimizer]!,
      sessionOptions(o, 'optimizer'),
    );
  }
  const sessionMs = performance.now() - created;

  const timings: StepTiming[] = [];
  for (let step = 1; step <= o.steps + 1; step++) {
    const referenceGflops = await reference.gflops();
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    const feeds = { ...data, ...noise.feeds(step), ...state.state };
    const t1 = performance.now();
    let trainMs: number;
    let optimizerMs = 0;
    let stepLoss: number;
    if (mode === 'fused') {
      const fetches = o.fetches ? { loss, logits, global_norm: norm, ...state.fetches() } : undefined;
      const out = fetches
        ? await train.run({ ...feeds, ...scalars(step) }, fetches)
        : await train.run({ ...feeds, ...scalars(step) });
      trainMs = performance.now() - t1;
      stepLoss = out.loss!.data[0] as number;
      if (o.fetches) state.swap();
      else state.adopt(out);
    } else {
      const trainOut = o.fetches
        ? await train.run(feeds, { loss, logits, ...grads })
        : await train.run(feeds);
      const t2 = performance.now();
      trainMs = t2 - t1;
      stepLoss = trainOut.loss!.data[0] as number;
      const optFeeds: Record<string, ort.Tensor> = { ...scalars(step), ...state.state };
      for (const p of params) optFeeds[`${p}_grad`] = trainOut[manifest.training.gradients[p]!]!;
      const optOut = o.fetches
        ? await optimizer!.run(optFeeds, { global_norm: norm, ...state.fetches() })
        : await optimizer!.run(optFeeds);
      optimizerMs = performance.now() - t2;
      if (o.fetches) state.swap();
      else state.adopt(optOut);
    }
    const glueMs = performance.now() - t0 - trainMs - optimizerMs;
    if (!Number.isFinite(stepLoss)) throw new Error(`step ${step}: loss ${stepLoss}`);
    const cpu = process.cpuUsage(cpu0);
    const cpuMs = (cpu.user + cpu.system) / 1000;
    if (step > 1) timings.push({ referenceGflops, cpuMs, trainMs, optimizerMs, glueMs, loss: stepLoss });
  }
  if (o.profile) {
    const profiles = [await endProfile(train, `bench-${trainTag}`)];
    if (optimizer) profiles.push(await endProfile(optimizer, 'bench-optimizer'));
    process.stdout.write(`  profile: ${profiles.join(', ')}\n`);
  }
  await train.release();
  await optimizer?.release();

  const trainMs = median(timings.map((t) => t.trainMs));
  const optimizerMs = median(timings.map((t) => t.optimizerMs));
  const glueMs = median(timings.map((t) => t.glueMs));
  const stepMs = trainMs + optimizerMs + glueMs;
  const stepFlop = 3 * forwardFlopsPerClip(config.model) * batch;
  const total = (t: StepTiming) => t.trainMs + t.optimizerMs + t.glueMs;
  const bestMs = Math.min(...timings.map(total));
  const cpuMs = median(timings.map((t) => t.cpuMs));
  // Per step: the step's GFLOP/s over the reference GEMM's just before it. FLOPs are counted as if every
  // frame were computed (3 x the padded forward): masked frames are skipped, so this can exceed 100%.
  const efficiency = median(timings.map((t) => stepFlop / (total(t) * 1e6) / t.referenceGflops));
  const projected = (efficiency * o.quietGemm * 1e9) / (3 * forwardFlopsPerClip(config.model));
  const split =
    mode === 'fused'
      ? `fused graph ${trainMs.toFixed(0)}`
      : `train graph ${trainMs.toFixed(0)} + optimizer ${optimizerMs.toFixed(0)}`;
  process.stdout.write(
    `  ${mode} batch ${batch}: ${(batch / (stepMs / 1000)).toFixed(1)} samples/s ` +
      `(best step ${(batch / (bestMs / 1000)).toFixed(1)}), step ${stepMs.toFixed(0)} ms = ${split} + JS ${glueMs.toFixed(1)}\n` +
      `    ~${(stepFlop / (stepMs * 1e6)).toFixed(0)} padded-equivalent GFLOP/s = ${(100 * efficiency).toFixed(0)}% of the reference GEMM ` +
      `(${median(timings.map((t) => t.referenceGflops)).toFixed(0)} GFLOP/s now) -> ~${projected.toFixed(0)} samples/s ` +
      `at a quiet ${o.quietGemm} GFLOP/s; used ${(cpuMs / stepMs).toFixed(2)} cores; ` +
      `peak RSS ${mb(process.resourceUsage().maxRSS * 1024)}; session ${(sessionMs / 1000).toFixed(1)} s\n`,
  );
}

async function main(argv: readonly string[]): Promise<void> {
  const o = new Command()
    .name('bench:train-step')
    .description('Time forward + backward + AdamW at training batch sizes on this CPU.')
    .option('--preset <name|file>', 'config preset', 'baseline')
    .option(
      '--set <key=value>',
      'override a config key (repeatable)',
      (v: string, all: string[]) => [...all, v],
      [],
    )
    .option('--batch <list>', 'batch sizes, comma-separated', intList, [1000, 256])
    .option('--steps <n>', 'timed steps per batch size (after one warm-up step)', positiveInt, 2)
    .option('--threads <n>', 'intra-op threads', positiveInt, 2)
    .option('--mode <mode>', 'separate | fused | both', 'both')
    .option('--opt-level <level>', 'graph optimisation level: disabled | basic | extended | all', 'all')
    .option('--no-fetches', 'let onnxruntime allocate fresh outputs every step')
    .option('--no-spinning', 'intra-op threads sleep instead of spinning between kernels')
    .option('--profile', 'write onnxruntime profiles (bench-*.json)')
    .option(
      '--frames <real|full|n>',
      'real frames per clip: drawn from the real files, all 64 (the padded worst case), or n',
      'real',
    )
    .option(
      '--quiet-gemm <gflops>',
      "the reference GEMM's GFLOP/s on an idle machine, for the projection (measured-here.md: 294)",
      positiveInt,
      294,
    )
    .parse(argv, { from: 'node' })
    .opts<CliOptions>();
  const config = resolveConfig(o.preset, o.set);
  const modes: Mode[] = o.mode === 'both' ? ['fused', 'separate'] : [o.mode];
  const m = config.model;
  process.stdout.write(
    `train step, ${o.preset} (${m.blocks}x${m.units}, ${(forwardFlopsPerClip(m) / 1e9).toFixed(3)} GFLOP/clip forward), ` +
      `${o.threads} threads, opt level ${o.optLevel}, ${o.fetches ? 'pre-allocated outputs' : 'fresh outputs'}, ` +
      `spinning ${o.spinning ? 'on' : 'off'}, median of ${o.steps} steps after 1 warm-up\n`,
  );
  const counts =
    o.frames === 'real' ? realFrameCounts() : [o.frames === 'full' ? config.model.frames : Number(o.frames)];
  const fill =
    counts.reduce((a, c) => a + Math.min(c, config.model.frames), 0) / counts.length / config.model.frames;
  process.stdout.write(
    `  frames per clip: ${o.frames === 'real' ? `as in the ${counts.length} real files` : o.frames}, ` +
      `${(100 * fill).toFixed(0)}% of ${config.model.frames} real on average` +
      `${config.model.frame_mask > 0 ? `, ~${(100 * fill * (1 - config.model.frame_mask)).toFixed(0)}% kept by frame masking` : ''}\n`,
  );
  const reference = await ReferenceGemm.create(o);
  for (const batch of o.batch)
    for (const mode of modes) await benchBatch(o, config, mode, batch, reference, counts);
  await reference.release();
}

main(process.argv).catch((e: unknown) => {
  process.stderr.write(`bench:train-step: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exitCode = 1;
});
