/**
 * npm run bench:export -- --run <run dir> [--checkpoint ...] [--data <dir>] [--val-participants ids]
 *
 * The measurements behind the int8 policy: for one checkpoint, each candidate policy's size,
 * validation accuracy and top-1 agreement with float32 (batch 1), and batch-1 latency in
 * onnxruntime-node and onnxruntime-web (WASM SIMD, 1 thread). A benchmark, not a test: the machine
 * is shared and timings move by +-15 %.
 */
import { Command } from 'commander';
import { positiveInt } from './cli-args.ts';
import { openDataset } from '../data/dataset/open-dataset.ts';
import {
  classificationMetrics,
  probabilityDrift,
  top1Agreement,
} from '../export/evaluate/classification-metrics.ts';
import { predict, type Predictions } from '../export/evaluate/predictions.ts';
import { measureLatency } from '../export/measure/measure-latency.ts';
import { DEFAULT_POLICY, type QuantizationPolicy } from '../export/quantize/quantization-policy.ts';
import { quantizeModel } from '../export/quantize/quantize-model.ts';
import { openNodeRunner, openWebRunner, type ModelRunner } from '../export/runtime/model-runner.ts';
import { readExportSource } from '../export/source/read-export-source.ts';
import { recordedSplit } from '../export/source/recorded-split.ts';
import { validationSplit } from '../export/source/validation-split.ts';

interface CliOptions {
  run: string;
  checkpoint?: string;
  data?: string;
  valParticipants?: number[];
  latencyRuns: number;
  threads: number;
  allRows?: boolean;
  only?: string[];
}

const CANDIDATES: readonly [string, QuantizationPolicy][] = [
  ['default', DEFAULT_POLICY],
  ['all int8 (no keepFloat)', { ...DEFAULT_POLICY, keepFloat: [] }],
  ['all int8, no size floor', { ...DEFAULT_POLICY, keepFloat: [], minElements: 0 }],
  ['per-tensor', { ...DEFAULT_POLICY, granularity: 'per-tensor' }],
  ['per-channel', { ...DEFAULT_POLICY, granularity: 'per-channel' }],
  ['per-tensor activations', { ...DEFAULT_POLICY, activations: 'per-tensor' }],
  [
    'per-tensor activations, com.microsoft kernels',
    { ...DEFAULT_POLICY, activations: 'per-tensor', form: 'com.microsoft' },
  ],
  ['+ classifier float', { ...DEFAULT_POLICY, keepFloat: [...DEFAULT_POLICY.keepFloat, '^head/'] }],
  [
    '+ landmark Dense2 float',
    { ...DEFAULT_POLICY, keepFloat: [...DEFAULT_POLICY.keepFloat, '^embedding/(lips|hand|pose)/dense2/'] },
  ],
  ['+ attention float', { ...DEFAULT_POLICY, keepFloat: [...DEFAULT_POLICY.keepFloat, '/mha/'] }],
  ['+ MLP float', { ...DEFAULT_POLICY, keepFloat: [...DEFAULT_POLICY.keepFloat, '/mlp/'] }],
];

/** Runs `run`, then releases the runner it uses. */
async function time(runner: ModelRunner, run: () => Promise<number>): Promise<number> {
  try {
    return await run();
  } finally {
    await runner.release();
  }
}

async function main(argv: readonly string[]): Promise<void> {
  const o = new Command()
    .name('bench-export')
    .description('Compare int8 quantization policies on one checkpoint: size, accuracy, agreement, latency.')
    .requiredOption('--run <dir>', 'training run (or artifacts) folder')
    .option('--checkpoint <which>', "'best', 'latest' or a checkpoint folder")
    .option('--data <dir>', "preprocessed dataset (default: the run's)")
    .option('--val-participants <ids>', 'held-out participants', (v: string) => v.split(',').map(Number))
    .option('--latency-runs <n>', 'timed batch-1 runs per model and runtime', positiveInt, 60)
    .option('--threads <n>', 'onnxruntime-node threads for the accuracy passes', positiveInt, 2)
    .option(
      '--all-rows',
      'agreement and drift over every labeled row (training signers too): more clips, less noise',
    )
    .option('--only <names>', 'measure only these candidates (comma-separated names)', (v: string) =>
      v.split(',').map((s) => s.trim()),
    )
    .parse(argv, { from: 'node' })
    .opts<CliOptions>();

  const source = await readExportSource(o.run, o.checkpoint);
  const recorded = recordedSplit(source.runDir);
  const dataDir = o.data ?? recorded?.dataDir;
  if (dataDir === undefined) throw new Error('pass --data');
  const ds = openDataset(dataDir);
  const split = validationSplit(
    ds,
    o.allRows ? undefined : (o.valParticipants ?? recorded?.validationParticipants),
  );
  const clips = split.clips;
  const latency = { warmup: 5, runs: o.latencyRuns };
  process.stdout.write(`${source.checkpoint.dir}: measured on ${split.description}\n`);

  const measure = async (model: Uint8Array) => {
    const node = await openNodeRunner(model, o.threads);
    let predictions: Predictions;
    try {
      predictions = await predict(node, clips, 1, { keepProbabilities: true });
    } finally {
      await node.release();
    }
    const n1 = await openNodeRunner(model, 1);
    const nodeLatency = await time(n1, async () => (await measureLatency(n1, clips, latency)).medianMs);
    const web = await openWebRunner(model);
    const webLatency = await time(web, async () => (await measureLatency(web, clips, latency)).medianMs);
    return { predictions, nodeLatency, webLatency };
  };

  const header = `${'policy'.padEnd(28)} ${'MB'.padStart(6)} ${'acc'.padStart(7)} ${'top5'.padStart(7)} ${'agree'.padStart(7)} ${'TV mean'.padStart(8)} ${'TV max'.padStart(7)} ${'node ms'.padStart(8)} ${'web ms'.padStart(8)}`;
  process.stdout.write(`${header}\n`);
  const float = await measure(source.floatModel);
  const line = (name: string, bytes: number, r: typeof float) => {
    const m = classificationMetrics(r.predictions);
    const pct = (x: number) => `${(x * 100).toFixed(2)}`;
    const isFloat = r === float;
    const drift = isFloat ? undefined : probabilityDrift(float.predictions, r.predictions);
    const cells = [
      name.padEnd(28),
      (bytes / 1e6).toFixed(2).padStart(6),
      pct(m.accuracy).padStart(7),
      pct(m.top5).padStart(7),
      (isFloat ? '-' : pct(top1Agreement(float.predictions, r.predictions))).padStart(7),
      (drift ? drift.mean.toExponential(2) : '-').padStart(8),
      (drift ? drift.max.toFixed(3) : '-').padStart(7),
      r.nodeLatency.toFixed(2).padStart(8),
      r.webLatency.toFixed(2).padStart(8),
    ];
    process.stdout.write(`${cells.join(' ')}\n`);
  };

  line('float32', source.floatModel.length, float);
  const unknown = (o.only ?? []).filter((n) => !CANDIDATES.some(([name]) => name === n));
  if (unknown.length > 0) {
    throw new Error(
      `--only: unknown candidate ${unknown.join(', ')}; known: ${CANDIDATES.map(([n]) => n).join(', ')}`,
    );
  }
  for (const [name, policy] of CANDIDATES) {
    if (o.only !== undefined && !o.only.includes(name)) continue;
    const { bytes } = await quantizeModel(source.floatModel, policy);
    line(name, bytes.length, await measure(bytes));
  }
}

main(process.argv).catch((e: unknown) => {
  process.stderr.write(`bench-export: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exitCode = 1;
});
