/**
 * Everything `npm run artifacts` writes, built in memory: the four ONNX graphs, the initial
 * checkpoint and artifacts.json (the trainer's only source of input/output names).
 */
import { buildGradientGraph } from '../../autodiff/engine.ts';
import type { SignCastConfig } from '../../model/config/config-schema.ts';
import { FRAME_MASK_STREAM } from '../../model/frame-packing.ts';
import { buildModel, HIT_RANKS, MODEL_INPUTS, MODEL_OUTPUTS } from '../../model/signcast-model.ts';
import type { NoiseSource } from '../../onnx/noise/noise-source.ts';
import type { Graph } from '../../onnx/graph.ts';
import type { TensorData } from '../../onnx/tensor-data.ts';
import { graphToBytes } from '../../onnx/to-model.ts';
import type { NormalizationStats } from '../../../shared/preprocess/stats.ts';
import type { CheckpointContent } from '../checkpoint/write-checkpoint.ts';
import type { NamedTensor } from '../checkpoint/named-tensor.ts';
import { adamWConstants } from '../optimizer/adamw-update.ts';
import { buildOptimizerGraph } from '../optimizer/optimizer-graph.ts';
import {
  firstMomentName,
  GLOBAL_NORM,
  gradientName,
  LOSS_SCALE,
  OPTIMIZER_SCALARS,
  secondMomentName,
} from '../optimizer/optimizer-names.ts';
import { ARTIFACT_FILES } from './artifact-files.ts';
import { ARTIFACTS_FORMAT } from './artifacts-manifest.ts';
import type { ArtifactsManifest, NoiseStream } from './artifacts-manifest.ts';
import { buildInferenceModel } from './build-inference-model.ts';
import { buildTrainStepGraph } from './build-train-step-graph.ts';
import { modelMetadata } from './model-metadata.ts';

export interface BuildArtifactsOptions {
  /** Seeds the initial parameter values (default: config.train.seed). */
  readonly seed?: number;
}

export interface Artifacts {
  readonly manifest: ArtifactsManifest;
  /** ONNX bytes by file name (ARTIFACT_FILES). */
  readonly models: Readonly<Record<string, Uint8Array>>;
  /** The initial checkpoint: parameters, zero Adam moments, step 0. */
  readonly checkpoint: CheckpointContent;
}

export function buildArtifacts(
  config: SignCastConfig,
  stats: NormalizationStats,
  options: BuildArtifactsOptions = {},
): Artifacts {
  const seed = options.seed ?? config.train.seed;
  const train = buildModel(config.model, stats, { mode: 'train', seed });
  const forward = train.graph;
  const parameterNames = forward.parameters.map((p) => p.name);
  const { graph: training } = buildGradientGraph(forward, { loss: MODEL_OUTPUTS.loss, wrt: parameterNames });

  const values = forward.parameterValues();
  const parameters = forward.parameters.map((p) => ({ name: p.name, shape: p.shape as number[] }));
  const evalGraph = buildModel(config.model, stats, {
    mode: 'eval',
    seed,
    values: new Map(Object.entries(values)),
  }).graph;
  const optimizer = buildOptimizerGraph(parameters, adamWConstants(config.train));
  const valueMap = new Map(Object.entries(values));
  const fedStep = buildTrainStepGraph(config, stats, { seed, noise: 'fed', values: valueMap });
  const deviceStep = buildTrainStepGraph(config, stats, { seed, noise: 'graph', values: valueMap });

  const asInputs = (g: Graph, role: string, doc: string) =>
    graphToBytes(g, { parameters: 'inputs', ...modelMetadata(config, role, doc) });
  const models: Record<string, Uint8Array> = {
    [ARTIFACT_FILES.training]: asInputs(
      training,
      'training',
      'SignCast training step: loss, logits and gradients',
    ),
    [ARTIFACT_FILES.eval]: asInputs(evalGraph, 'eval', 'SignCast evaluation: loss and probabilities'),
    [ARTIFACT_FILES.optimizer]: graphToBytes(
      optimizer,
      modelMetadata(config, 'optimizer', 'AdamW with global-norm clipping'),
    ),
    [ARTIFACT_FILES.trainStep]: asInputs(
      fedStep.graph,
      'train_step',
      'SignCast training step with AdamW in one graph, noise fed as uint16 draws',
    ),
    [ARTIFACT_FILES.trainStepDevice]: asInputs(
      deviceStep.graph,
      'train_step_device',
      'SignCast training step with AdamW in one graph, noise drawn in the graph from uint32 keys',
    ),
    [ARTIFACT_FILES.inference]: buildInferenceModel(config, stats, values),
  };

  const streams = (noise: NoiseSource | undefined): NoiseStream[] => [...(noise?.streams ?? [])];
  const manifest: ArtifactsManifest = {
    format: ARTIFACTS_FORMAT,
    config,
    stats,
    parameters,
    parameterCount: parameters.reduce((n, p) => n + p.shape.reduce((a, b) => a * b, 1), 0),
    batchInputs: Object.values(MODEL_INPUTS),
    frameMask: { stream: FRAME_MASK_STREAM, keep: 1 - config.model.frame_mask },
    training: {
      file: ARTIFACT_FILES.training,
      noise: streams(train.noise),
      outputs: { loss: MODEL_OUTPUTS.loss, logits: MODEL_OUTPUTS.logits, hits: MODEL_OUTPUTS.hits },
      gradients: Object.fromEntries(parameterNames.map((n) => [n, gradientName(n)])),
    },
    eval: {
      file: ARTIFACT_FILES.eval,
      outputs: { loss: MODEL_OUTPUTS.loss, probabilities: MODEL_OUTPUTS.probabilities },
    },
    optimizer: {
      file: ARTIFACT_FILES.optimizer,
      scalarInputs: OPTIMIZER_SCALARS,
      normOutput: GLOBAL_NORM,
    },
    trainStep: {
      fed: { file: ARTIFACT_FILES.trainStep, noise: streams(fedStep.noise) },
      device: { file: ARTIFACT_FILES.trainStepDevice, noise: streams(deviceStep.noise) },
      scalarInputs: OPTIMIZER_SCALARS,
      ...(config.train.precision === 'fp16' ? { lossScaleInput: LOSS_SCALE } : {}),
      outputs: { loss: MODEL_OUTPUTS.loss, hits: MODEL_OUTPUTS.hits, norm: GLOBAL_NORM },
      hitRanks: HIT_RANKS,
    },
    inference: { file: ARTIFACT_FILES.inference, outputs: { probabilities: MODEL_OUTPUTS.probabilities } },
    checkpoint: ARTIFACT_FILES.checkpointDir,
  };
  return { manifest, models, checkpoint: initialCheckpoint(config, parameters, values) };
}

function initialCheckpoint(
  config: SignCastConfig,
  parameters: readonly { readonly name: string; readonly shape: readonly number[] }[],
  values: Readonly<Record<string, TensorData>>,
): CheckpointContent {
  const tensors: NamedTensor[] = parameters.map((p) => ({
    name: p.name,
    shape: p.shape,
    data: values[p.name]!.data as Float32Array,
  }));
  const zeros = (name: string, like: NamedTensor): NamedTensor => ({
    name,
    shape: like.shape,
    data: new Float32Array(like.data.length),
  });
  return {
    step: 0,
    epoch: 0,
    epochStep: 0,
    config,
    parameters: tensors,
    optimizerState: [
      ...tensors.map((t) => zeros(firstMomentName(t.name), t)),
      ...tensors.map((t) => zeros(secondMomentName(t.name), t)),
    ],
    metrics: {},
  };
}
