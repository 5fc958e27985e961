/**
 * npm run export -- --run <run dir> --out models/<name> [--checkpoint best|latest|<dir>]
 *   [--data <preprocessed dir>] [--val-participants 1,2,3] [--model-id <id>]
 *   [--keep-float <regex> ... | --no-keep-float] [--min-elements N] [--granularity auto|per-channel|per-tensor]
 *   [--form onnx|com.microsoft] [--latency-runs N] [--parity-clips N] [--scorer-batch N] [--threads N]
 *
 * Writes the model bundle the Worker and `npm run submit` load: model.onnx (float32, the trained
 * weights), model.int8.onnx (our int8 transform) and manifest.json with every figure measured here.
 */
import { basename, isAbsolute, relative, resolve } from 'node:path';
import { Command, InvalidArgumentError, Option } from 'commander';
import { positiveInt, nonNegativeInt } from './cli-args.ts';
import { openDataset } from '../data/dataset/open-dataset.ts';
import { exportBundle } from '../export/export-bundle.ts';
import { formatExportSummary } from '../export/format-export-summary.ts';
import { DEFAULT_POLICY, type QuantizationPolicy } from '../export/quantize/quantization-policy.ts';
import { readExportSource } from '../export/source/read-export-source.ts';
import { recordedSplit } from '../export/source/recorded-split.ts';
import { validationSplit } from '../export/source/validation-split.ts';

interface CliOptions {
  run: string;
  out: string;
  checkpoint?: string;
  data?: string;
  valParticipants?: number[];
  modelId?: string;
  /** Absent: the default list; false: --no-keep-float. */
  keepFloat?: string[] | false;
  minElements: number;
  granularity: QuantizationPolicy['granularity'];
  form: QuantizationPolicy['form'];
  activations: QuantizationPolicy['activations'];
  threads: number;
  scorerBatch: number;
  latencyRuns: number;
  parityClips: number;
}

/** Relative to the working directory when inside it: a shipped manifest should not name this machine's folders. */
function displayPath(path: string): string {
  const rel = relative(process.cwd(), resolve(path));
  return rel === '' || rel.startsWith('..') || isAbsolute(rel) ? resolve(path) : rel;
}

function participantList(value: string): number[] {
  const ids = value.split(',').map((s) => Number(s.trim()));
  if (ids.length === 0 || !ids.every(Number.isSafeInteger))
    throw new InvalidArgumentError('expected ids like 16069,2044');
  return ids;
}

function regex(value: string, all: string[] | false | undefined): string[] {
  try {
    new RegExp(value);
  } catch (err) {
    throw new InvalidArgumentError((err as Error).message);
  }
  return [...(all || []), value];
}

async function main(argv: readonly string[]): Promise<void> {
  const o = new Command()
    .name('export')
    .description(
      'Export a training run as a model bundle (float32 + int8 ONNX, manifest with measured figures).',
    )
    .requiredOption('--run <dir>', 'training run folder (or an artifacts folder: its initial checkpoint)')
    .requiredOption('--out <dir>', 'bundle folder to write, e.g. models/demo')
    .option('--checkpoint <which>', "'best' (default when the run has one), 'latest', or a checkpoint folder")
    .option('--data <dir>', 'preprocessed dataset to measure on (default: the one the run trained on)')
    .option(
      '--val-participants <ids>',
      "held-out participants of --data (default: the run's, else every row)",
      participantList,
    )
    .option('--model-id <id>', 'model id in the manifest (default: the bundle folder name)')
    .option(
      '--keep-float <regex>',
      `keep weights whose name matches in float (repeatable; replaces the default ${DEFAULT_POLICY.keepFloat.map((r) => `/${r}/`).join(' ')})`,
      regex,
    )
    .option('--no-keep-float', 'no name-based exceptions: every weight big enough goes int8')
    .option(
      '--min-elements <n>',
      'weights smaller than this stay float',
      nonNegativeInt,
      DEFAULT_POLICY.minElements,
    )
    .addOption(
      new Option('--granularity <g>', 'weight scales')
        .choices(['auto', 'per-channel', 'per-tensor'])
        .default(DEFAULT_POLICY.granularity),
    )
    .addOption(
      new Option(
        '--form <form>',
        'int8 operators: standard ONNX (fused by onnxruntime on load) or com.microsoft kernels',
      )
        .choices(['onnx', 'com.microsoft'])
        .default(DEFAULT_POLICY.form),
    )
    .addOption(
      new Option(
        '--activations <scales>',
        'activation scales: one per row (batch-independent answers) or one per batch tensor',
      )
        .choices(['per-row', 'per-tensor'])
        .default(DEFAULT_POLICY.activations),
    )
    .option('--threads <n>', 'onnxruntime-node threads for the accuracy passes', positiveInt, 2)
    .option('--scorer-batch <n>', 'batch of the float32 pass and of the batched int8 check', positiveInt, 64)
    .option('--latency-runs <n>', 'timed batch-1 runs per model and runtime', positiveInt, 100)
    .option(
      '--parity-clips <n>',
      'clips compared between onnxruntime-node and onnxruntime-web',
      positiveInt,
      32,
    )
    .parse(argv, { from: 'node' })
    .opts<CliOptions>();

  const log = (line: string): void => void process.stderr.write(`export: ${line}\n`);
  const source = await readExportSource(o.run, o.checkpoint);
  const { step, epoch } = source.checkpoint.sidecar;
  log(`checkpoint ${source.checkpoint.dir} (step ${step}, epoch ${epoch})`);

  const recorded = recordedSplit(source.runDir);
  const dataDir = o.data ?? recorded?.dataDir;
  if (dataDir === undefined)
    throw new Error(`${o.run} does not record its dataset: pass --data <preprocessed dir>`);
  const ds = openDataset(dataDir);
  if (ds.signs.length !== source.config.model.classes) {
    throw new Error(
      `${dataDir} has ${ds.signs.length} signs, the model ${source.config.model.classes} classes`,
    );
  }
  // The run's held-out signers apply to the dataset it trained on, wherever that now lives.
  const sameData = recorded !== undefined && ds.manifest.createdAt === recorded.record.datasetCreatedAt;
  const heldOut = o.valParticipants ?? (sameData ? recorded.validationParticipants : undefined);
  const split = validationSplit(ds, heldOut, displayPath(ds.dir));

  const policy: QuantizationPolicy = {
    minElements: o.minElements,
    keepFloat: o.keepFloat === false ? [] : (o.keepFloat ?? DEFAULT_POLICY.keepFloat),
    granularity: o.granularity,
    form: o.form,
    activations: o.activations,
  };
  const { manifest, quantization, timingConditions } = await exportBundle(
    {
      floatModel: source.floatModel,
      config: { ...source.config },
      stats: source.stats,
      signs: ds.signs,
      fallbackSign: split.fallbackSign,
      validation: split.clips,
      training: {
        run: displayPath(source.runDir),
        dataset: displayPath(ds.dir),
        epochs: epoch,
        step,
        note: `checkpoint ${basename(source.checkpoint.dir)}; figures measured on ${split.description}`,
      },
    },
    {
      outDir: o.out,
      modelId: o.modelId ?? basename(o.out),
      policy,
      threads: o.threads,
      scorerBatch: o.scorerBatch,
      latency: { warmup: 10, runs: o.latencyRuns },
      parityClips: o.parityClips,
      log,
    },
  );
  process.stdout.write(
    formatExportSummary(o.out, manifest, quantization, split.description, timingConditions),
  );
}

main(process.argv).catch((e: unknown) => {
  process.stderr.write(`export: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exitCode = 1;
});
