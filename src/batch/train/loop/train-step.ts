/**
 * One training step, all in this file: the batch gathered from the dataset into buffers kept between
 * steps (BatchBuffers), the noise inputs for (seed, step) (NoiseBuffers), the parameters and moments the
 * step updates (ModelState), and TrainStep, which runs the training session and then the optimizer
 * session over them.
 */
import * as ort from 'onnxruntime-node';
import type { Dataset } from '../../data/dataset/open-dataset.ts';
import { MODEL_INPUTS } from '../../model/signcast-model.ts';
import { fillNoise } from '../../random/counter-hash.ts';
import { FRAME_VALUES, IDX_VALUES, modelFeeds } from '../../../shared/bundle/model-contract.ts';
import type { ArtifactsManifest, NoiseInputSpec } from '../artifacts/artifacts-manifest.ts';
import { expectFloat32Tensors } from '../checkpoint/read-checkpoint.ts';
import type { LoadedCheckpoint } from '../checkpoint/read-checkpoint.ts';
import type { NamedTensor } from '../checkpoint/named-tensor.ts';
import { firstMomentName, secondMomentName, updatedName } from '../optimizer/optimizer-names.ts';
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

export interface ParameterShape {
  readonly name: string;
  readonly shape: readonly number[];
}

/**
 * What training changes: parameters and AdamW's two moments, held as the ort.Tensors the sessions
 * consume and produce. An optimizer step hands back new tensors (onnxruntime-node copies every output
 * into a fresh buffer, preallocated fetches included, as measured), and `replace` takes them as they are
 * — nothing is copied in JS between steps.
 */
export class ModelState {
  private constructor(
    readonly parameters: readonly ParameterShape[],
    private readonly values: Map<string, ort.Tensor>,
  ) {}

  static fromCheckpoint(checkpoint: LoadedCheckpoint, parameters: readonly ParameterShape[]): ModelState {
    const source = checkpoint.dir;
    const params = expectFloat32Tensors(checkpoint.parameters, parameters, source);
    const ms = expectFloat32Tensors(
      checkpoint.optimizerState,
      parameters.map((p) => ({ name: firstMomentName(p.name), shape: p.shape })),
      source,
    );
    const vs = expectFloat32Tensors(
      checkpoint.optimizerState,
      parameters.map((p) => ({ name: secondMomentName(p.name), shape: p.shape })),
      source,
    );
    const values = new Map<string, ort.Tensor>();
    parameters.forEach((p, i) => {
      const dims = [...p.shape];
      values.set(p.name, new ort.Tensor('float32', params[i]!, dims));
      values.set(firstMomentName(p.name), new ort.Tensor('float32', ms[i]!, dims));
      values.set(secondMomentName(p.name), new ort.Tensor('float32', vs[i]!, dims));
    });
    return new ModelState(parameters, values);
  }

  /** A parameter or moment by its graph name (`<p>`, `adam_m.<p>`, `adam_v.<p>`). */
  get(name: string): ort.Tensor {
    const t = this.values.get(name);
    if (!t) throw new Error(`no state tensor ${name}`);
    return t;
  }

  /** Parameters by name, as the training and eval graphs take them. */
  parameterFeeds(into: Record<string, ort.Tensor>): Record<string, ort.Tensor> {
    for (const p of this.parameters) into[p.name] = this.get(p.name);
    return into;
  }

  replace(name: string, tensor: ort.Tensor): void {
    if (!this.values.has(name)) throw new Error(`no state tensor ${name}`);
    this.values.set(name, tensor);
  }

  parameterData(name: string): Float32Array {
    return this.get(name).data as Float32Array;
  }

  /** The checkpoint's view of the state (no copies: the tensors' own data). */
  checkpointTensors(): { parameters: NamedTensor[]; optimizerState: NamedTensor[] } {
    const named = (name: string, shape: readonly number[]): NamedTensor => ({
      name,
      shape,
      data: this.parameterData(name),
    });
    return {
      parameters: this.parameters.map((p) => named(p.name, p.shape)),
      optimizerState: [
        ...this.parameters.map((p) => named(firstMomentName(p.name), p.shape)),
        ...this.parameters.map((p) => named(secondMomentName(p.name), p.shape)),
      ],
    };
  }
}

export interface BatchFeeds {
  /** The graphs' batch inputs by name: the model's two, and labels. */
  readonly inputs: Readonly<Record<string, ort.Tensor>>;
  /** The same labels as numbers, for metrics. */
  readonly labelValues: Int16Array;
}

/**
 * The model's batch inputs, gathered from the dataset's zero-copy row views into buffers allocated once
 * for the largest batch and reused by every training and validation batch: fresh memory is slow to
 * touch on these machines, and a baseline training batch is 51 MB of frames. A batch of n rows is fed
 * as tensors over the first n rows of the buffers, built once per size.
 */
export class BatchBuffers {
  private readonly frames: Float32Array;
  private readonly idxs: Float32Array;
  private readonly labels: BigInt64Array;
  private readonly labelValues: Int16Array;
  private readonly feedsBySize = new Map<number, BatchFeeds>();

  constructor(
    private readonly dataset: Dataset,
    readonly capacity: number,
  ) {
    this.frames = new Float32Array(capacity * FRAME_VALUES);
    this.idxs = new Float32Array(capacity * IDX_VALUES);
    this.labels = new BigInt64Array(capacity);
    this.labelValues = new Int16Array(capacity);
  }

  /** Copies `rows` (global dataset rows) into the buffers and returns feeds over them. */
  gather(rows: Uint32Array): BatchFeeds {
    const n = rows.length;
    if (n === 0 || n > this.capacity) throw new RangeError(`batch of ${n} rows, capacity ${this.capacity}`);
    for (let i = 0; i < n; i++) {
      const row = rows[i]!;
      this.frames.set(this.dataset.frames(row), i * FRAME_VALUES);
      this.idxs.set(this.dataset.nonEmptyFrameIdxs(row), i * IDX_VALUES);
      const label = this.dataset.labels[row]!;
      if (label < 0) throw new RangeError(`row ${row} has no label`);
      this.labels[i] = BigInt(label);
      this.labelValues[i] = label;
    }
    return this.feeds(n);
  }

  private feeds(n: number): BatchFeeds {
    let feeds = this.feedsBySize.get(n);
    if (!feeds) {
      feeds = {
        inputs: {
          ...modelFeeds(this.frames, this.idxs, n, (data, dims) => new ort.Tensor('float32', data, dims)),
          [MODEL_INPUTS.labels]: new ort.Tensor('int64', this.labels.subarray(0, n), [n]),
        },
        labelValues: this.labelValues.subarray(0, n),
      };
      this.feedsBySize.set(n, feeds);
    }
    return feeds;
  }
}

/**
 * The training graph's `noise/<k>` inputs (dropout and frame masking bits), one uint16 buffer each,
 * allocated once and refilled every step from (seed, step, stream): the same step always gets the same
 * bits, which is what lets a resumed run repeat an uninterrupted one exactly.
 */
export class NoiseBuffers {
  readonly feeds: Readonly<Record<string, ort.Tensor>>;
  private readonly buffers: { readonly stream: number; readonly data: Uint16Array }[];

  constructor(inputs: readonly NoiseInputSpec[], batch: number) {
    const feeds: Record<string, ort.Tensor> = {};
    this.buffers = inputs.map((input) => {
      const dims = input.shape.map((d) => (d === 'batch' ? batch : d));
      const data = new Uint16Array(dims.reduce((a, b) => a * b, 1));
      feeds[input.name] = new ort.Tensor('uint16', data, dims);
      return { stream: input.stream, data };
    });
    this.feeds = feeds;
  }

  /** `step` is the 1-based optimizer step the bits are for. */
  fill(seed: number, step: number): void {
    for (const b of this.buffers) fillNoise(b.data, seed, step, b.stream);
  }
}
