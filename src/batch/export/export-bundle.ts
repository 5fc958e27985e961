/**
 * The export itself, given a float model and what the bundle needs to say about it: quantize, measure
 * both variants (validation accuracy, node/web parity, batch-1 latency in both runtimes), write the
 * bundle atomically and verify it with the loaders' checks.
 */
import { availableParallelism, loadavg } from 'node:os';
import { BUNDLE_FORMAT, type BundleManifest } from '../../shared/bundle/manifest.ts';
import { PREPROCESS_VERSION } from '../../shared/preprocess/constants.ts';
import type { NormalizationStats } from '../../shared/preprocess/stats.ts';
import { writeBundle } from './bundle/write-bundle.ts';
import type { ExportedVariantMetrics } from './bundle/exported-metrics.ts';
import { tensorSpecs } from './bundle/tensor-specs.ts';
import { classificationMetrics, top1Agreement } from './evaluate/classification-metrics.ts';
import type { LabeledClips } from './evaluate/labeled-clips.ts';
import { predict } from './evaluate/predictions.ts';
import { runtimeParity } from './evaluate/runtime-parity.ts';
import { measureLatency, type Latency, type LatencyOptions } from './measure/measure-latency.ts';
import type { QuantizationPolicy } from './quantize/quantization-policy.ts';
import { quantizeModel, type QuantizationReport } from './quantize/quantize-model.ts';
import { openNodeRunner, openWebRunner, type ModelRunner, type RuntimeName } from './runtime/model-runner.ts';

export interface ExportInput {
  /** The float32 inference graph with the trained weights. */
  readonly floatModel: Uint8Array;
  readonly config: Readonly<Record<string, unknown>>;
  /** The normalisation statistics baked into the model. */
  readonly stats: NormalizationStats;
  readonly signs: readonly string[];
  readonly fallbackSign: string;
  /** The held-out clips every figure is measured on. */
  readonly validation: LabeledClips;
  readonly training: BundleManifest['training'];
}

export interface ExportOptions {
  readonly outDir: string;
  readonly modelId: string;
  readonly policy: QuantizationPolicy;
  /** onnxruntime-node threads for the accuracy passes (latency is always 1 thread). */
  readonly threads: number;
  /** Batch of the float32 pass and of the batched int8 check (the scorer's case). */
  readonly scorerBatch: number;
  readonly latency: LatencyOptions;
  /** Clips run through both runtimes for the parity check. */
  readonly parityClips: number;
  readonly log: (line: string) => void;
}

export interface ExportResult {
  readonly manifest: BundleManifest;
  readonly quantization: QuantizationReport;
  /**
   * The 1-minute load average before and after the timing runs, and the cores: latency figures are
   * only as good as the machine was quiet.
   */
  readonly timingConditions: {
    readonly loadBefore: number;
    readonly loadAfter: number;
    readonly cores: number;
  };
}

async function withRunner<T>(open: Promise<ModelRunner>, use: (r: ModelRunner) => Promise<T>): Promise<T> {
  const runner = await open;
  try {
    return await use(runner);
  } finally {
    await runner.release();
  }
}

const round = (x: number, digits: number): number => Number(x.toFixed(digits));

export async function exportBundle(input: ExportInput, options: ExportOptions): Promise<ExportResult> {
  const { log } = options;
  const { validation } = input;
  if (validation.count === 0) throw new Error('no validation clips to measure the models on');

  log('quantizing the MatMul/Gemm weights to int8');
  const int8 = await quantizeModel(input.floatModel, options.policy);
  const models = { float32: input.floatModel, int8: int8.bytes } as const;

  log(`evaluating on ${validation.count} validation clips (onnxruntime-node, ${options.threads} threads)`);
  const floatPredictions = await withRunner(openNodeRunner(models.float32, options.threads), (r) =>
    predict(r, validation, options.scorerBatch),
  );
  const [int8Single, int8Batched] = await withRunner(
    openNodeRunner(models.int8, options.threads),
    async (r) => [await predict(r, validation, 1), await predict(r, validation, options.scorerBatch)],
  );

  log(
    `checking onnxruntime-node against onnxruntime-web on ${Math.min(options.parityClips, validation.count)} clips`,
  );
  const latency: Record<'float32' | 'int8', Partial<Record<RuntimeName, Latency>>> = {
    float32: {},
    int8: {},
  };
  const loadBefore = loadavg()[0]!;
  const parity: Partial<Record<'float32' | 'int8', ExportedVariantMetrics['parityNodeWeb']>> = {};
  for (const variant of ['float32', 'int8'] as const) {
    await withRunner(openNodeRunner(models[variant], 1), (node) =>
      withRunner(openWebRunner(models[variant]), async (web) => {
        parity[variant] = await runtimeParity(node, web, validation, options.parityClips);
        log(`timing ${variant} at batch 1 (${options.latency.runs} runs each, 1 thread)`);
        for (const runner of [node, web]) {
          latency[variant][runner.runtime] = await measureLatency(runner, validation, options.latency);
        }
      }),
    );
  }

  const timingConditions = { loadBefore, loadAfter: loadavg()[0]!, cores: availableParallelism() };
  const latencyRecord = (variant: 'float32' | 'int8', pick: (l: Latency) => number) =>
    Object.fromEntries(Object.entries(latency[variant]).map(([k, l]) => [k, round(pick(l), 3)]));
  const floatMetrics = classificationMetrics(floatPredictions);
  const int8Metrics = classificationMetrics(int8Single);
  const metrics: Record<'float32' | 'int8', ExportedVariantMetrics> = {
    float32: {
      ...floatMetrics,
      latencyMs: latencyRecord('float32', (l) => l.medianMs),
      latencyP95Ms: latencyRecord('float32', (l) => l.p95Ms),
      latencyMinMs: latencyRecord('float32', (l) => l.minMs),
      ...(parity.float32 ? { parityNodeWeb: parity.float32 } : {}),
    },
    int8: {
      ...int8Metrics,
      top1AgreementWithFloat32: top1Agreement(floatPredictions, int8Single),
      latencyMs: latencyRecord('int8', (l) => l.medianMs),
      latencyP95Ms: latencyRecord('int8', (l) => l.p95Ms),
      latencyMinMs: latencyRecord('int8', (l) => l.minMs),
      ...(parity.int8 ? { parityNodeWeb: parity.int8 } : {}),
      batched: {
        batch: options.scorerBatch,
        accuracy: classificationMetrics(int8Batched).accuracy,
        top1AgreementWithFloat32: top1Agreement(floatPredictions, int8Batched),
      },
    },
  };

  const { inputs, outputs } = tensorSpecs(models.float32);
  const manifest = await writeBundle(options.outDir, models, {
    format: BUNDLE_FORMAT,
    modelId: options.modelId,
    createdAt: new Date().toISOString(),
    inputs,
    outputs,
    preprocess: { version: PREPROCESS_VERSION, stats: input.stats },
    signs: input.signs,
    fallbackSign: input.fallbackSign,
    config: {
      ...input.config,
      quantization: {
        policy: int8.report.policy,
        quantizedElements: int8.report.quantizedElements,
        floatElements: int8.report.floatElements,
        weights: int8.report.decisions.map((d) => ({
          weight: d.weight,
          shape: d.shape,
          ...(d.quantized
            ? { int8: d.granularity, relativeError: round(d.relativeError ?? 0, 6) }
            : { float: d.reason }),
        })),
      },
    },
    metrics,
    training: input.training,
  });
  log(`wrote ${options.outDir}`);
  return { manifest, quantization: int8.report, timingConditions };
}
