import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { Command, InvalidArgumentError } from 'commander';
import { positiveInt } from '../../src/batch/cli/cli-args.ts';
import { BASELINE_SIZE_FIXTURE, writeFixtureBundle } from '../../src/batch/fixtures/fixture-bundle.ts';
import { parseManifestBytes } from '../../src/shared/bundle/parse-manifest.ts';
import {
  isVariantPreference,
  selectVariant,
  type VariantPreference,
} from '../../src/shared/bundle/select-variant.ts';
import { preprocessClip } from '../../src/shared/preprocess/preprocess-clip.ts';
import { encodeClip, MEDIA_TYPES, type ClipFormat } from './clip-encodings.ts';
import { buildWorker, serveWorker } from './local-worker.ts';
import { NodeReference } from './node-reference.ts';
import { syntheticClip } from './synthetic-clip.ts';

/**
 * `npm run bench:worker`: the Worker's latency as a regression benchmark.
 *
 * Builds the deployable bundle (`wrangler deploy --dry-run`, whose size it reports), runs it in
 * bare workerd through Miniflare (local-worker.ts: no `wrangler dev` proxy, which adds ~14 ms a
 * request that production does not have), and posts real and synthetic clips over loopback HTTP, one at a time
 * and a few at once. For the same clips it times onnxruntime-node in this process, so the gate can
 * use ratios measured in one run: on this noisy machine they hold far steadier than absolute times.
 *
 * By default it serves a generated baseline-size stand-in (~5.4 M parameters, int8) that computes
 * all 64 frames of every clip: the padded worst case, with no trained bundle needed. The real model
 * computes only the frames a clip has (src/batch/model/frame-rows.ts), so a baseline-size export runs
 * ~3x faster; `--model <name>` serves models/<name>, e.g. a baseline-size run exported to
 * models/local-baseline (ignored by git):
 *   npm run export -- --run <baseline run> --out models/local-baseline
 *   npm run bench:worker -- --model local-baseline
 */

const ROOT = process.cwd();
// A tool cache: ignored by git, lint and prettier, and reused between runs.
const WORK = join(ROOT, 'node_modules', '.cache', 'signcast-bench-worker');
const REAL_DIR = join(ROOT, '..', 'shared', 'asl-real');
/** Real clips across the length range: 2, 6, 18, 24, 42 and 105 frames. */
const REAL_CLIPS = [
  'train_landmark_files/4718/3732957229.parquet',
  'train_landmark_files/30680/804665247.parquet',
  'train_landmark_files/36257/3445210051.parquet',
  'train_landmark_files/4718/205531021.parquet',
  'train_landmark_files/4718/3391006466.parquet',
  'train_landmark_files/16069/10042041.parquet',
];
const DEFAULT_BASELINE = join(ROOT, 'scripts', 'worker', 'bench-baseline.json');

interface Options {
  model?: string;
  variant: VariantPreference;
  requests: number;
  warmup: number;
  concurrency: number;
  concurrentRequests: number;
  baseline: string;
  updateBaseline: boolean;
  margin: number;
  json?: string;
}

interface BenchClip {
  readonly name: string;
  readonly format: ClipFormat;
  readonly body: Uint8Array<ArrayBuffer>;
  readonly frames: number;
}

interface ServerTiming {
  readonly [metric: string]: number;
}

interface Sample {
  readonly e2eMs: number;
  readonly server: ServerTiming;
}

const quantile = (values: readonly number[], q: number): number => {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
};
const p50 = (v: readonly number[]): number => quantile(v, 0.5);
const p95 = (v: readonly number[]): number => quantile(v, 0.95);
const fmt = (v: number, digits = 1): string => (Number.isFinite(v) ? v.toFixed(digits) : '-');

function parseServerTiming(header: string | null): ServerTiming {
  const out: Record<string, number> = {};
  for (const entry of (header ?? '').split(',')) {
    const [name, ...params] = entry.trim().split(';');
    const dur = params.find((p) => p.trim().startsWith('dur='));
    if (name && dur) out[name.trim()] = Number(dur.trim().slice(4));
  }
  return out;
}

async function assetsFor(opts: Options): Promise<{ directory: string; modelName: string }> {
  if (opts.model) {
    if (!existsSync(join(ROOT, 'models', opts.model, 'manifest.json')))
      throw new Error(`models/${opts.model}/manifest.json not found`);
    return { directory: join(ROOT, 'models'), modelName: opts.model };
  }
  const directory = join(WORK, 'assets');
  const modelName = BASELINE_SIZE_FIXTURE.modelId;
  if (!existsSync(join(directory, modelName, 'manifest.json'))) {
    console.log(
      `generating the baseline-size stand-in bundle into ${relative(ROOT, join(directory, modelName))} ...`,
    );
    await writeFixtureBundle(join(directory, modelName), BASELINE_SIZE_FIXTURE);
  }
  return { directory, modelName };
}

async function benchClips(): Promise<BenchClip[]> {
  const clips: BenchClip[] = [];
  if (existsSync(REAL_DIR)) {
    for (const path of REAL_CLIPS) {
      const body = new Uint8Array(readFileSync(join(REAL_DIR, path)));
      const clip = await NodeReference.decode(body, 'parquet', path);
      clips.push({
        name: `real ${path.split('/').slice(-2).join('/')}`,
        format: 'parquet',
        body,
        frames: clip.frameCount,
      });
    }
  } else {
    console.warn(`${REAL_DIR} not found: benchmarking synthetic clips only`);
  }
  const synthetic = syntheticClip({ frames: 30, seed: 99, hand: 'right_hand', handMissingFrames: 2 });
  for (const format of ['parquet', 'json'] as const) {
    clips.push({
      name: `synthetic 30f ${format}`,
      format,
      body: new Uint8Array(encodeClip(synthetic, format, 10)),
      frames: synthetic.length,
    });
  }
  return clips;
}

async function post(url: string, clip: BenchClip): Promise<Sample> {
  const start = performance.now();
  const res = await fetch(`${url}/v1/predict?top=5`, {
    method: 'POST',
    headers: { 'Content-Type': MEDIA_TYPES[clip.format] },
    body: clip.body,
  });
  await res.arrayBuffer();
  const e2eMs = performance.now() - start;
  if (res.status !== 200) throw new Error(`${clip.name}: HTTP ${res.status}`);
  return { e2eMs, server: parseServerTiming(res.headers.get('server-timing')) };
}

/** One native pass over a clip: the same reader and preprocessing, then onnxruntime-node. */
async function nodeOnce(
  reference: NodeReference,
  clip: BenchClip,
): Promise<{ runMs: number; pipelineMs: number }> {
  const t0 = performance.now();
  const inputs = preprocessClip(await NodeReference.decode(clip.body, clip.format, clip.name));
  const t1 = performance.now();
  await reference.run(inputs);
  const t2 = performance.now();
  return { runMs: t2 - t1, pipelineMs: t2 - t0 };
}

interface Figures {
  readonly modelId: string;
  readonly variant: string;
  readonly bundleGzipMB: number;
  readonly readyMs: number;
  readonly firstPredictMs: number;
  readonly modelLoadMs: number;
  readonly sequentialP50Ms: number;
  readonly sequentialP95Ms: number;
  readonly workerTotalP50Ms: number;
  readonly workerInferenceP50Ms: number;
  readonly concurrentP50Ms: number;
  readonly concurrentP95Ms: number;
  readonly concurrentPerSecond: number;
  readonly nodeRunP50Ms: number;
  readonly nodePipelineP50Ms: number;
  /** Worker inference (Server-Timing) p50 / onnxruntime-node session.run p50, over all clips' requests. */
  readonly inferenceRatio: number;
  /** Worker end to end over HTTP p50 / onnxruntime-node decode+preprocess+run p50, over all clips' requests. */
  readonly endToEndRatio: number;
}

interface Baseline {
  readonly note: string;
  readonly margin: number;
  readonly figures: Figures;
}

/** Only ratios gate: absolute times on this machine swing ±15 % between runs. */
const GATED: readonly (keyof Figures)[] = ['inferenceRatio', 'endToEndRatio'];

async function main(opts: Options): Promise<number> {
  const build = buildWorker(join(WORK, 'dist'));
  console.log(
    `deployable Worker (wrangler deploy --dry-run): ${fmt(build.bytes / 1e6, 2)} MB, gzip ${fmt(build.gzipBytes / 1e6, 2)} MB (paid-plan limit 10 MB)`,
  );

  const { directory, modelName } = await assetsFor(opts);
  const manifest = parseManifestBytes(
    new Uint8Array(readFileSync(join(directory, modelName, 'manifest.json'))),
  );
  const { variant, file } = selectVariant(manifest, opts.variant);
  const modelBytes = new Uint8Array(readFileSync(join(directory, modelName, file.path)));
  console.log(
    `model ${manifest.modelId} (${variant}, ${fmt(file.bytes / 1e6, 2)} MB) from ${relative(ROOT, directory)}/${modelName}`,
  );

  const startedAt = performance.now();
  const mf = await serveWorker({
    build,
    host: '127.0.0.1',
    port: 0,
    assetsDirectory: directory,
    bindings: { MODEL_NAME: modelName, MODEL_VARIANT: variant },
  });
  let figures: Figures;
  try {
    const url = (await mf.ready).toString().replace(/\/$/, '');
    const readyMs = performance.now() - startedAt;
    const clips = await benchClips();

    const first = await post(url, clips[0]!);
    const modelInfo = (await (await fetch(`${url}/v1/model`)).json()) as {
      load: { totalMs: number; readMs: number; verifyMs: number; sessionMs: number };
      runtime: { wasmMemoryBytes: number | null };
    };
    console.log(
      `cold start: workerd ready ${fmt(readyMs, 0)} ms; first predict ${fmt(first.e2eMs, 0)} ms end to end, of which model load ${fmt(modelInfo.load.totalMs, 0)} ms ` +
        `(read ${fmt(modelInfo.load.readMs, 0)}, sha256 ${fmt(modelInfo.load.verifyMs, 0)}, session ${fmt(modelInfo.load.sessionMs, 0)}); ` +
        `WASM heap ${fmt((modelInfo.runtime.wasmMemoryBytes ?? NaN) / 2 ** 20, 0)} MiB`,
    );

    // WASM code tiers up from the baseline compiler while it runs: measure the steady state.
    for (let i = 0; i < opts.warmup; i++) await post(url, clips[i % clips.length]!);

    const reference = await NodeReference.create(modelBytes, 1);
    const rows: string[][] = [];
    const allSequential: number[] = [];
    const allTotals: number[] = [];
    const allInference: number[] = [];
    const allNodeRun: number[] = [];
    const allNodePipeline: number[] = [];
    for (const clip of clips) {
      for (let i = 0; i < 2; i++) {
        await post(url, clip);
        await nodeOnce(reference, clip);
      }
      // Worker and native passes alternate, so a burst of load elsewhere on the machine slows
      // both sides of a ratio alike.
      const samples: Sample[] = [];
      const node = { runMs: [] as number[], pipelineMs: [] as number[] };
      for (let i = 0; i < opts.requests; i++) {
        samples.push(await post(url, clip));
        const native = await nodeOnce(reference, clip);
        node.runMs.push(native.runMs);
        node.pipelineMs.push(native.pipelineMs);
      }
      const e2e = samples.map((s) => s.e2eMs);
      const metric = (name: string): number[] => samples.map((s) => s.server[name] ?? NaN);
      allSequential.push(...e2e);
      allTotals.push(...metric('total'));
      allInference.push(...metric('inference'));
      allNodeRun.push(...node.runMs);
      allNodePipeline.push(...node.pipelineMs);
      const row = {
        e2e: p50(e2e),
        total: p50(metric('total')),
        inference: p50(metric('inference')),
        nodeRun: p50(node.runMs),
        nodePipeline: p50(node.pipelineMs),
      };
      rows.push([
        clip.name,
        String(clip.frames),
        fmt(clip.body.length / 1e3, 0),
        fmt(row.e2e),
        fmt(p95(e2e)),
        fmt(row.total),
        fmt(p50(metric('decode'))),
        fmt(row.inference),
        fmt(row.nodeRun, 2),
        fmt(row.nodePipeline, 2),
        fmt(row.inference / row.nodeRun, 2),
      ]);
    }
    printTable(
      [
        'clip',
        'frames',
        'KB',
        'e2e p50',
        'e2e p95',
        'worker total',
        'decode',
        'inference',
        'node run',
        'node decode+run',
        'web/node',
      ],
      rows,
    );

    // Concurrent clients over the same clips: isolates serve requests concurrently, the WASM
    // session runs one at a time, so this shows queueing rather than parallel speed-up.
    const concurrent: number[] = [];
    let next = 0;
    const concurrentStart = performance.now();
    await Promise.all(
      Array.from({ length: opts.concurrency }, async () => {
        while (next < opts.concurrentRequests) {
          const clip = clips[next++ % clips.length]!;
          concurrent.push((await post(url, clip)).e2eMs);
        }
      }),
    );
    const concurrentSeconds = (performance.now() - concurrentStart) / 1000;
    console.log(
      `concurrent: ${opts.concurrency} clients, ${opts.concurrentRequests} requests: p50 ${fmt(p50(concurrent))} ms, p95 ${fmt(p95(concurrent))} ms, ${fmt(opts.concurrentRequests / concurrentSeconds)} clips/s`,
    );
    await reference.release();

    figures = {
      modelId: manifest.modelId,
      variant,
      bundleGzipMB: build.gzipBytes / 1e6,
      readyMs,
      firstPredictMs: first.e2eMs,
      modelLoadMs: modelInfo.load.totalMs,
      sequentialP50Ms: p50(allSequential),
      sequentialP95Ms: p95(allSequential),
      workerTotalP50Ms: p50(allTotals),
      workerInferenceP50Ms: p50(allInference),
      concurrentP50Ms: p50(concurrent),
      concurrentP95Ms: p95(concurrent),
      concurrentPerSecond: opts.concurrentRequests / concurrentSeconds,
      nodeRunP50Ms: p50(allNodeRun),
      nodePipelineP50Ms: p50(allNodePipeline),
      inferenceRatio: p50(allInference) / p50(allNodeRun),
      endToEndRatio: p50(allSequential) / p50(allNodePipeline),
    };
  } finally {
    await mf.dispose();
  }

  console.log(
    `\nsequential end to end over HTTP: p50 ${fmt(figures.sequentialP50Ms)} ms, p95 ${fmt(figures.sequentialP95Ms)} ms ` +
      `(Worker's own total p50 ${fmt(figures.workerTotalP50Ms)} ms, inference p50 ${fmt(figures.workerInferenceP50Ms)} ms; issue target: p50 < 20 ms)`,
  );
  console.log(
    `onnxruntime-node, same clips, 1 thread: run p50 ${fmt(figures.nodeRunP50Ms, 2)} ms, decode+preprocess+run p50 ${fmt(figures.nodePipelineP50Ms, 2)} ms; ` +
      `ratios web/node: inference ${fmt(figures.inferenceRatio, 2)}, end to end ${fmt(figures.endToEndRatio, 2)}`,
  );
  if (opts.json) writeFileSync(opts.json, `${JSON.stringify(figures, null, 2)}\n`);
  return gate(figures, opts);
}

function gate(figures: Figures, opts: Options): number {
  if (opts.updateBaseline) {
    const baseline: Baseline = {
      note: 'npm run bench:worker -- --update-baseline; only the ratios are gated (they hold steadier than absolute times here)',
      margin: opts.margin,
      figures,
    };
    writeFileSync(opts.baseline, `${JSON.stringify(baseline, null, 2)}\n`);
    console.log(`baseline written to ${relative(ROOT, opts.baseline)}`);
    return 0;
  }
  if (!existsSync(opts.baseline)) {
    console.log(`no baseline at ${relative(ROOT, opts.baseline)}: run with --update-baseline to record one`);
    return 0;
  }
  const baseline = JSON.parse(readFileSync(opts.baseline, 'utf8')) as Baseline;
  if (baseline.figures.modelId !== figures.modelId || baseline.figures.variant !== figures.variant) {
    console.log(
      `baseline is for ${baseline.figures.modelId} (${baseline.figures.variant}); this run served ${figures.modelId} (${figures.variant}): not compared`,
    );
    return 0;
  }
  const margin = opts.margin;
  let failed = 0;
  console.log(
    `\ncompared with ${relative(ROOT, opts.baseline)} (fails above baseline x ${fmt(1 + margin, 2)}):`,
  );
  for (const key of GATED) {
    const was = baseline.figures[key] as number;
    const now = figures[key] as number;
    const regressed = now > was * (1 + margin);
    if (regressed) failed++;
    console.log(
      `  ${regressed ? 'REGRESSED' : 'ok       '} ${key}: ${fmt(now, 2)} (baseline ${fmt(was, 2)}, ${now >= was ? '+' : ''}${fmt((now / was - 1) * 100, 0)} %)`,
    );
  }
  for (const key of ['sequentialP50Ms', 'workerInferenceP50Ms', 'firstPredictMs'] as const) {
    console.log(`  info      ${key}: ${fmt(figures[key])} (baseline ${fmt(baseline.figures[key])})`);
  }
  return failed > 0 ? 1 : 0;
}

function printTable(header: string[], rows: string[][]): void {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]): string =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  console.log(`\n${line(header)}`);
  for (const row of rows) console.log(line(row));
  console.log(
    "(milliseconds; e2e = loopback HTTP round trip; worker total / decode / inference = the Worker's Server-Timing, whole ms in workerd)\n",
  );
}

const program = new Command()
  .name('bench:worker')
  .description(
    'Latency of the Worker in local workerd vs onnxruntime-node, gated against a committed baseline.',
  )
  .option('--model <name>', 'serve models/<name> (default: a generated baseline-size stand-in)')
  .option('--variant <variant>', 'auto, int8 or float32', 'auto')
  .option('--requests <n>', 'sequential requests per clip', positiveInt, 20)
  .option('--warmup <n>', 'requests before measuring (after the cold-start request)', positiveInt, 30)
  .option('--concurrency <n>', 'concurrent clients', positiveInt, 4)
  .option('--concurrent-requests <n>', 'requests in the concurrent phase', positiveInt, 64)
  .option('--baseline <file>', 'baseline JSON', DEFAULT_BASELINE)
  .option('--update-baseline', 'record this run as the baseline', false)
  .option('--margin <fraction>', 'allowed regression of a gated ratio', (v) => Number(v), 0.35)
  .option('--json <file>', 'also write the figures as JSON')
  .action(async (opts: Options) => {
    if (!isVariantPreference(opts.variant))
      throw new InvalidArgumentError(`--variant must be auto, int8 or float32`);
    process.exitCode = await main(opts);
  });

await program.parseAsync();
