/**
 * npm run bench:train-step -- [--ep cpu|webgpu] [--preset baseline] [--set key=value ...]
 *   [--batch 1000,256] [--steps 5] [--threads N] [--frames real|full|n] [--profile]
 *   [--peer ../shared/peers/torch_baseline.py] [--staging worker|inline]
 *
 * Times the trainer's own training step (loop/train-step.ts: one session for forward, backward and
 * AdamW over a packed batch; on a GPU its state stays on the device and its noise is drawn there) at
 * the given batch sizes, on real clip lengths by default. Per step: packing the batch on the host,
 * the session run (upload, kernels, five scalars back), and clips/s over both. With --staging worker
 * (the default on a GPU, as in training) the batches are packed one ahead on a worker thread while the
 * step runs, and what the step waits for its batch is shown instead of the packing. With --profile,
 * onnxruntime's profile is summarised: time per provider, the slowest operators, and every node
 * placed on the CPU with the bytes it moves. With --peer, the PyTorch baseline runs right after on
 * the same device and the ratio is printed (the peer pads every clip to 64 frames, as PyTorch users do).
 *
 * On the CPU a reference GEMM (16384x512x1024 kept inside its graph) is timed before each step: the
 * machine is shared, and the step's rate over the GEMM's is what other load does not change much.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Command, InvalidArgumentError, Option } from 'commander';
import * as ort from 'onnxruntime-node';
import { resolveConfig } from '../model/config/resolve-config.ts';
import type { SignCastConfig } from '../model/config/config-schema.ts';
import type { ClipRows } from '../data/dataset/open-dataset.ts';
import { IDX_VALUES } from '../../shared/bundle/model-contract.ts';
import { encodeShard } from '../data/dataset/write-shard.ts';
import { FRAME_POINT_VALUES } from '../model/frame-packing.ts';
import type { PaddedClip } from '../model/frame-packing.ts';
import { forwardFlopsPerClip } from '../model/model-flops.ts';
import { Graph } from '../onnx/graph.ts';
import * as op from '../onnx/ops/index.ts';
import { EXECUTION_PROVIDERS, endProfile, openSession } from '../onnx/ort-session.ts';
import type { ExecutionProvider, SessionOptions } from '../onnx/ort-session.ts';
import { graphToBytes } from '../onnx/to-model.ts';
import { Random } from '../random/random.ts';
import { streamKey } from '../random/counter-hash.ts';
import { buildArtifacts } from '../train/artifacts/build-artifacts.ts';
import { writeArtifacts } from '../train/artifacts/write-artifacts.ts';
import { readCheckpoint } from '../train/checkpoint/read-checkpoint.ts';
import { ModelState, stepGraphFor, stepOutputLocations, TrainStep } from '../train/loop/train-step.ts';
import {
  BATCH_STAGINGS,
  BatchAssembler,
  defaultStaging,
  InlineBatches,
  StagedBatches,
} from '../train/loop/step-batches.ts';
import type { BatchStaging, EpochBatches } from '../train/loop/step-batches.ts';
import { DynamicLossScale } from '../train/optimizer/loss-scale.ts';
import { summarizeProfile } from '../train/bench/profile-summary.ts';
import { neutralStats } from '../../shared/preprocess/neutral-stats.ts';
import { positiveInt } from './cli-args.ts';

interface CliOptions {
  ep: ExecutionProvider;
  preset: string;
  set: string[];
  batch: number[];
  steps: number;
  threads: number;
  frames: string;
  realData: string;
  profile: boolean;
  peer?: string;
  quietGemm: number;
  /** Resolved right after parsing: the flag, or the provider's default. */
  staging: BatchStaging;
}

function intList(value: string): number[] {
  const list = value.split(',').map(Number);
  if (list.some((n) => !Number.isInteger(n) || n < 1))
    throw new InvalidArgumentError('expected integers >= 1');
  return list;
}

const median = (xs: readonly number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MiB`;

/**
 * Real frames per clip after preprocessing, as the real files give them: each file's frames with its
 * dominant hand present (FILES.tsv: frames x (1 - the smaller hand-null fraction)), capped at 64.
 * `dir` is the real clips' folder (--real-data, or SIGNCAST_REAL_DATA, or ../shared/asl-real); on a
 * box without it, copy its FILES.tsv along, or use --frames full|<n>.
 */
function realFrameCounts(dir: string): number[] {
  const path = join(dir, 'FILES.tsv');
  if (!existsSync(path))
    throw new Error(`${path} not found: give --real-data <folder with FILES.tsv>, or --frames full|<n>`);
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

/** Clips shaped like preprocessed ones: real-frame counts drawn from `counts`, the hand missing in 30%. */
function syntheticClips(
  config: SignCastConfig,
  n: number,
  counts: readonly number[],
  seed: number,
): PaddedClip[] {
  const T = config.model.frames;
  const random = Random.seeded(seed, 'bench-clips');
  return Array.from({ length: n }, (_, b) => {
    const frames = new Float32Array(T * FRAME_POINT_VALUES);
    const idxs = new Float32Array(T).fill(-1);
    const real = Math.max(1, Math.min(T, counts[random.below(counts.length)]!));
    for (let f = 0; f < real; f++) {
      idxs[f] = f;
      const handMissing = random.nextFloat() < 0.3;
      for (let p = 0; p < 66; p++) {
        if (handMissing && p >= 40 && p < 61) continue;
        for (let c = 0; c < 3; c++) frames[(f * 66 + p) * 3 + c] = 0.3 + 0.4 * random.nextFloat();
      }
    }
    return { frames, nonEmptyFrameIdxs: idxs, label: b % config.model.classes };
  });
}

/** The clips as one dataset shard in shared memory, as the trainer holds a dataset's shards. */
function sharedShard(config: SignCastConfig, clips: readonly PaddedClip[]): Uint8Array {
  if (config.model.frames !== IDX_VALUES)
    throw new InvalidArgumentError(
      `--staging worker reads dataset shards, whose clips have ${IDX_VALUES} frames; this config has ${config.model.frames}`,
    );
  const encoded = encodeShard({
    length: clips.length,
    sequenceId: BigInt64Array.from(clips, (_, i) => BigInt(i)),
    participantId: new Int32Array(clips.length),
    label: Int16Array.from(clips, (c) => c.label),
    frames: concat(clips.map((c) => c.frames)),
    nonEmptyFrameIdxs: concat(clips.map((c) => c.nonEmptyFrameIdxs)),
  });
  const shared = new Uint8Array(new SharedArrayBuffer(encoded.length));
  shared.set(encoded);
  return shared;
}

/** The clips as the rows of an in-memory dataset. */
function clipRows(clips: readonly PaddedClip[]): ClipRows {
  return {
    length: clips.length,
    labels: Int16Array.from(clips, (c) => c.label),
    frames: (row) => clips[row]!.frames,
    nonEmptyFrameIdxs: (row) => clips[row]!.nonEmptyFrameIdxs,
  };
}

function concat(parts: readonly Float32Array[]): Float32Array {
  const all = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    all.set(p, at);
    at += p.length;
  }
  return all;
}

/** A 16384x512x1024 MatMul kept inside its graph: how much of the CPU a step had right now. */
async function referenceGemm(o: CliOptions): Promise<() => Promise<number>> {
  const [m, k, n] = [16384, 512, 1024];
  const g = new Graph({ name: 'reference_gemm' });
  g.output(
    op.reduceSum(op.matMul(g.input('a', 'float32', [m, k]), g.input('b', 'float32', [k, n])), [0]),
    'y',
  );
  const session = await openSession(graphToBytes(g), { preset: 'training', threads: o.threads });
  const feeds = {
    a: new ort.Tensor('float32', new Float32Array(m * k).fill(0.01), [m, k]),
    b: new ort.Tensor('float32', new Float32Array(k * n).fill(0.01), [k, n]),
  };
  const gflops = async () => {
    const t = performance.now();
    await session.run(feeds);
    return (2 * m * k * n) / ((performance.now() - t) * 1e6);
  };
  await gflops();
  return gflops;
}

async function benchBatch(
  o: CliOptions,
  config: SignCastConfig,
  dir: string,
  batch: number,
  counts: readonly number[],
  gemm: (() => Promise<number>) | null,
): Promise<number> {
  const artifacts = JSON.parse(readFileSync(join(dir, 'artifacts.json'), 'utf8')) as Parameters<
    typeof stepGraphFor
  >[0];
  const graph = stepGraphFor(artifacts, o.ep);
  const locations = stepOutputLocations(artifacts, o.ep);
  const options: SessionOptions = {
    preset: 'training',
    ep: o.ep,
    threads: o.threads,
    ...(locations === undefined ? {} : { outputLocation: locations }),
    ...(o.profile ? { profilePrefix: join(dir, `profile-${o.ep}-${batch}`) } : {}),
  };
  const created = performance.now();
  const session = await openSession(join(dir, graph.file), options);
  const sessionSeconds = (performance.now() - created) / 1000;
  const state = ModelState.fromCheckpoint(await readCheckpoint(dir), artifacts.parameters);
  const lossScale = artifacts.trainStep.lossScaleInput === undefined ? null : DynamicLossScale.start();
  const step = new TrainStep(artifacts, session, state, graph.form, batch, lossScale);
  let skipped = 0;
  const clips = syntheticClips(config, batch * 4, counts, batch);
  const batches: EpochBatches =
    o.staging === 'worker'
      ? new StagedBatches([sharedShard(config, clips)], batch, config.model.frames)
      : new InlineBatches(new BatchAssembler(clipRows(clips), batch, config.model.frames));
  const keep = artifacts.frameMask.keep;
  batches.plan(
    Array.from({ length: o.steps + 1 }, (_, k) => ({
      rows: Uint32Array.from({ length: batch }, (_, i) => (k % 4) * batch + i),
      masking: keep < 1 ? { key: streamKey(1, k + 1, artifacts.frameMask.stream), keep } : null,
    })),
  );

  const rows: { pack: number; run: number; total: number; reference: number; kept: number }[] = [];
  try {
    for (let n = 1; n <= o.steps + 1; n++) {
      const reference = gemm ? await gemm() : 0;
      const t0 = performance.now();
      const packed = await batches.next();
      const t1 = performance.now();
      const result = await step.run(packed, { learningRate: 1e-3, weightDecay: 5e-5 }, 1, n);
      const t2 = performance.now();
      if (!Number.isFinite(result.loss)) throw new Error(`step ${n}: loss ${result.loss}`);
      if (!result.applied) skipped++;
      if (n > 1) rows.push({ pack: t1 - t0, run: t2 - t1, total: t2 - t0, reference, kept: packed.rows });
    }
  } finally {
    await batches.close();
  }
  const profile = o.profile ? await endProfile(session, join(dir, `profile-${o.ep}-${batch}`)) : null;
  await state.release();
  await session.release();

  const totalMs = median(rows.map((r) => r.total));
  const bestMs = Math.min(...rows.map((r) => r.total));
  const clipsPerSecond = batch / (totalMs / 1000);
  const kept = median(rows.map((r) => r.kept));
  const lines = [
    `  ${o.ep} batch ${batch}: ${clipsPerSecond.toFixed(0)} clips/s (best step ${(batch / (bestMs / 1000)).toFixed(0)}), ` +
      `step ${totalMs.toFixed(1)} ms = ${o.staging === 'worker' ? 'wait for the staged batch' : 'pack'} ${median(rows.map((r) => r.pack)).toFixed(1)} + run ${median(rows.map((r) => r.run)).toFixed(1)}; ` +
      `${kept} frames kept (${((100 * kept) / (batch * config.model.frames)).toFixed(0)}% of ${batch} x ${config.model.frames}), ` +
      `upload ${mib(kept * FRAME_POINT_VALUES * 4 + batch * config.model.frames * 12)}; session ${sessionSeconds.toFixed(1)} s; ` +
      `peak RSS ${mib(process.resourceUsage().maxRSS * 1024)}`,
  ];
  if (lossScale)
    lines.push(
      `    mixed precision (fp16): ${skipped} of ${o.steps + 1} updates dropped for overflow, loss scale now ${lossScale.scale}`,
    );
  if (gemm) {
    const flop = 3 * forwardFlopsPerClip(config.model) * batch;
    const efficiency = median(rows.map((r) => flop / (r.total * 1e6) / r.reference));
    lines.push(
      `    reference GEMM ${median(rows.map((r) => r.reference)).toFixed(0)} GFLOP/s now; ` +
        `padded-equivalent rate ${(100 * efficiency).toFixed(0)}% of it -> ~${((efficiency * o.quietGemm * 1e9) / (3 * forwardFlopsPerClip(config.model))).toFixed(0)} clips/s at a quiet ${o.quietGemm} GFLOP/s`,
    );
  }
  if (profile)
    lines.push(
      ...summarizeProfile(readFileSync(profile, 'utf8')).map((l) => `    ${l}`),
      `    profile: ${profile}`,
    );
  process.stdout.write(`${lines.join('\n')}\n`);
  return clipsPerSecond;
}

/** The PyTorch peer on the same device, or a line saying why it did not run. */
function runPeer(script: string, ep: ExecutionProvider, batches: readonly number[]): Map<string, number> {
  const device = ep === 'cpu' ? 'cpu' : 'cuda';
  const run = spawnSync('python3', [script, '--batch', batches.join(','), '--device', device], {
    encoding: 'utf8',
    env: { ...process.env, PYTHONUNBUFFERED: '1' },
  });
  const figures = new Map<string, number>();
  if (run.status !== 0) {
    process.stdout.write(
      `  PyTorch peer did not run: ${(run.stderr || run.error?.message || '').trim().split('\n').at(-1)}\n`,
    );
    return figures;
  }
  for (const line of run.stdout.trim().split('\n')) {
    try {
      const r = JSON.parse(line) as Record<string, unknown>;
      process.stdout.write(`  PyTorch peer: ${line}\n`);
      const rate = Number(r['clips_per_s'] ?? r['samples_per_s'] ?? r['throughput']);
      if (Number.isFinite(rate)) figures.set(`${r['batch']} ${r['bf16'] ? 'bf16' : 'fp32'}`, rate);
    } catch {
      process.stdout.write(`  PyTorch peer: ${line}\n`);
    }
  }
  return figures;
}

async function main(argv: readonly string[]): Promise<void> {
  const o = new Command()
    .name('bench:train-step')
    .description("Time the trainer's training step (forward + backward + AdamW) at training batch sizes.")
    .option('--ep <provider>', `execution provider: ${EXECUTION_PROVIDERS.join(' | ')}`, 'cpu')
    .option('--preset <name|file>', 'config preset', 'baseline')
    .option(
      '--set <key=value>',
      'override a config key (repeatable)',
      (v: string, all: string[]) => [...all, v],
      [],
    )
    .option('--batch <list>', 'batch sizes, comma-separated', intList, [1000, 256])
    .option('--steps <n>', 'timed steps per batch size (after one warm-up step)', positiveInt, 5)
    .option('--threads <n>', 'intra-op threads', positiveInt, availableParallelism())
    .option('--frames <real|full|n>', 'real frames per clip: as in the real files, all 64, or n', 'real')
    .option(
      '--real-data <dir>',
      'the real clips folder whose FILES.tsv gives the clip lengths',
      // Beside the checkout, as the tests look for it (npm scripts run at the repository's root).
      process.env['SIGNCAST_REAL_DATA'] || resolve('../shared/asl-real'),
    )
    .option('--profile', "summarise onnxruntime's profile of each batch size")
    .addOption(
      new Option(
        '--staging <where>',
        'pack batches on a worker thread one ahead (default on a GPU) or inline (default on the CPU)',
      ).choices([...BATCH_STAGINGS]),
    )
    .option('--peer <torch_baseline.py>', 'run the PyTorch peer on the same device afterwards and compare')
    .option(
      '--quiet-gemm <gflops>',
      "the reference GEMM's GFLOP/s on an idle machine (measured-here.md: 294)",
      positiveInt,
      294,
    )
    .parse(argv, { from: 'node' })
    .opts<CliOptions>();
  if (!EXECUTION_PROVIDERS.includes(o.ep))
    throw new InvalidArgumentError(`--ep must be one of ${EXECUTION_PROVIDERS.join(', ')}`);
  o.staging ??= defaultStaging(o.ep);
  const config = resolveConfig(o.preset, o.set);
  const m = config.model;
  const counts =
    o.frames === 'real' ? realFrameCounts(o.realData) : [o.frames === 'full' ? m.frames : Number(o.frames)];
  const fill = counts.reduce((a, c) => a + Math.min(c, m.frames), 0) / counts.length / m.frames;
  process.stdout.write(
    `train step, ${o.preset}${config.train.precision === 'fp16' ? ', mixed precision (fp16)' : ''} (${m.blocks}x${m.units}, ${(forwardFlopsPerClip(m) / 1e9).toFixed(3)} GFLOP/clip forward), ` +
      `--ep ${o.ep}, ${o.threads} threads, batches packed ${o.staging === 'worker' ? 'on a worker thread, one ahead' : 'inline'}, median of ${o.steps} steps after 1 warm-up\n` +
      `  frames per clip: ${o.frames === 'real' ? `as in ${counts.length} real files` : o.frames}, ${(100 * fill).toFixed(0)}% of ${m.frames} real on average` +
      `${m.frame_mask > 0 ? `, ~${(100 * fill * (1 - m.frame_mask)).toFixed(0)}% kept by frame masking` : ''}\n`,
  );
  const dir = mkdtempSync(join(tmpdir(), 'signcast-bench-step-'));
  try {
    await writeArtifacts(dir, buildArtifacts(config, neutralStats()));
    const gemm = o.ep === 'cpu' ? await referenceGemm(o) : null;
    const ours = new Map<number, number>();
    for (const batch of o.batch) ours.set(batch, await benchBatch(o, config, dir, batch, counts, gemm));
    if (o.peer) {
      const peer = runPeer(o.peer, o.ep, o.batch);
      for (const [key, rate] of peer) {
        const ourRate = ours.get(Number(key.split(' ')[0]));
        if (ourRate !== undefined)
          process.stdout.write(`  ratio to PyTorch ${key}: ${(ourRate / rate).toFixed(3)}\n`);
      }
    }
  } finally {
    if (!o.profile) rmSync(dir, { recursive: true, force: true });
  }
}

main(process.argv).catch((e: unknown) => {
  process.stderr.write(`bench:train-step: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exitCode = 1;
});
