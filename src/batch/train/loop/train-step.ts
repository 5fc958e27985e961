import * as ort from 'onnxruntime-node';
import type { ArtifactsManifest } from '../artifacts/artifacts-manifest.ts';
import { firstMomentName, secondMomentName, updatedName } from '../optimizer/optimizer-names.ts';
import type { BatchFeeds } from './batch-buffers.ts';
import type { ModelState } from './model-state.ts';
import type { NoiseBuffers } from './noise-buffers.ts';
import { TrainError } from './train-error.ts';

export interface StepHyperparameters {
  readonly learningRate: number;
  readonly weightDecay: number;
}

export interface TrainStepResult {
  /** Mean loss of the batch, before the update. */
  readonly loss: number;
  /** [batch, classes], from the same forward pass (dropout on), for the training metrics. */
  readonly logits: Float32Array;
  /** Global gradient norm before clipping. */
  readonly gradNorm: number;
}

/**
 * One optimizer update: the training session turns (batch, noise, parameters) into loss, logits and
 * gradients; the optimizer session turns (parameters, gradients, moments, lr, wd, step) into new
 * parameters and moments, which replace the old ones in `state`. Feed records and the scalar inputs are
 * built once and refilled; the gradients go from one session to the other as the tensors ORT returned.
 */
export class TrainStep {
  private readonly trainFeeds: Record<string, ort.Tensor> = {};
  private readonly optimizerFeeds: Record<string, ort.Tensor> = {};
  private readonly scalars = { lr: new Float32Array(1), wd: new Float32Array(1), step: new Float32Array(1) };
  private readonly stateNames: string[];

  constructor(
    private readonly manifest: ArtifactsManifest,
    private readonly training: ort.InferenceSession,
    private readonly optimizer: ort.InferenceSession,
    private readonly state: ModelState,
  ) {
    const { scalarInputs } = manifest.optimizer;
    this.optimizerFeeds[scalarInputs.learningRate] = new ort.Tensor('float32', this.scalars.lr, []);
    this.optimizerFeeds[scalarInputs.weightDecay] = new ort.Tensor('float32', this.scalars.wd, []);
    this.optimizerFeeds[scalarInputs.step] = new ort.Tensor('float32', this.scalars.step, []);
    this.stateNames = manifest.parameters.flatMap((p) => [
      p.name,
      firstMomentName(p.name),
      secondMomentName(p.name),
    ]);
  }

  /** `step` is the 1-based number of this update (AdamW's bias-correction t, and the noise key). */
  async run(
    batch: BatchFeeds,
    noise: NoiseBuffers,
    hyper: StepHyperparameters,
    step: number,
  ): Promise<TrainStepResult> {
    const { training: t, parameters, optimizer: o } = this.manifest;
    const feeds = this.trainFeeds;
    Object.assign(feeds, batch.inputs, noise.feeds);
    this.state.parameterFeeds(feeds);
    const out = await this.training.run(feeds);
    const loss = (out[t.outputs.loss]!.data as Float32Array)[0]!;
    if (!Number.isFinite(loss)) {
      throw new TrainError(
        'non_finite_loss',
        `training loss is ${loss} at step ${step}; the update was not applied`,
      );
    }

    const of = this.optimizerFeeds;
    this.scalars.lr[0] = hyper.learningRate;
    this.scalars.wd[0] = hyper.weightDecay;
    this.scalars.step[0] = step;
    for (const name of this.stateNames) of[name] = this.state.get(name);
    for (const p of parameters) of[t.gradients[p.name]!] = out[t.gradients[p.name]!]!;
    const next = await this.optimizer.run(of);
    const gradNorm = (next[o.normOutput]!.data as Float32Array)[0]!;
    if (!Number.isFinite(gradNorm)) {
      throw new TrainError('non_finite_loss', `gradient norm is ${gradNorm} at step ${step}`);
    }
    for (const name of this.stateNames) this.state.replace(name, next[updatedName(name)]!);
    return { loss, logits: out[t.outputs.logits]!.data as Float32Array, gradNorm };
  }
}
