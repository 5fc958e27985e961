/**
 * One training step, all in this file: the parameters and moments the step updates (ModelState), and
 * TrainStep, which runs the whole step (forward, backward, AdamW: artifacts' train_step graphs) in one
 * session over a packed batch (step-batches.ts).
 *
 * On a GPU the step's state never comes back to the host between steps: the session leaves the `.new`
 * parameters and moments in GPU buffers and the next run reads them from there; only the loss, the
 * top-k hit counts and the gradient norm (five floats) are read back, and the noise is drawn on the
 * device from one uint32 key per stream. What goes up each step is the packed batch: the kept frames
 * only, plus a few small index tensors. On the CPU the same graph runs with its noise fed as uint16
 * draws, which JS fills faster than the graph would hash them there.
 */
import * as ort from 'onnxruntime-node';
import { packedFeeds } from '../../model/frame-packing.ts';
import type { PackedBatch } from '../../model/frame-packing.ts';
import type { NoiseForm } from '../../onnx/noise/noise-source.ts';
import { NoiseFeeds } from '../../onnx/noise/noise-source.ts';
import { Graph } from '../../onnx/graph.ts';
import * as op from '../../onnx/ops/index.ts';
import type { ExecutionProvider, OutputLocation } from '../../onnx/ort-session.ts';
import { createSession, toOrtTensor } from '../../onnx/ort-session.ts';
import { streamKey } from '../../random/counter-hash.ts';
import type { ArtifactsManifest } from '../artifacts/artifacts-manifest.ts';
import { expectFloat32Tensors } from '../checkpoint/read-checkpoint.ts';
import type { LoadedCheckpoint } from '../checkpoint/read-checkpoint.ts';
import type { NamedTensor } from '../checkpoint/named-tensor.ts';
import { adamWConstants, adamWStepScalars } from '../optimizer/adamw-update.ts';
import type { DynamicLossScale } from '../optimizer/loss-scale.ts';
import { firstMomentName, secondMomentName, updatedName } from '../optimizer/optimizer-names.ts';
import { TrainError } from './train-error.ts';

export interface StepHyperparameters {
  readonly learningRate: number;
  readonly weightDecay: number;
}

export interface TrainStepResult {
  /** Mean loss of the batch, before the update. */
  readonly loss: number;
  /** Clips of the batch with their label in the top 1, 5 and 10 (manifest.trainStep.hitRanks). */
  readonly hits: readonly [number, number, number];
  /** Global gradient norm before clipping; not finite when a mixed-precision step overflowed. */
  readonly gradNorm: number;
  /**
   * Whether the update was applied: always under float32; under mixed precision not when the scaled
   * gradients overflowed float16 (the state is unchanged and the loss scale halved).
   */
  readonly applied: boolean;
}

/** The noise form and the graph each execution provider runs the step with. */
export function stepGraphFor(
  manifest: ArtifactsManifest,
  ep: ExecutionProvider,
): { readonly form: NoiseForm; readonly file: string } {
  return ep === 'cpu'
    ? { form: 'fed', file: manifest.trainStep.fed.file }
    : { form: 'graph', file: manifest.trainStep.device.file };
}

/** Where the step graph's outputs go: the state stays on the device, the scalars come to the host. */
export function stepOutputLocations(
  manifest: ArtifactsManifest,
  ep: ExecutionProvider,
): Record<string, OutputLocation> | undefined {
  if (ep === 'cpu') return undefined;
  const locations: Record<string, OutputLocation> = {};
  for (const name of stateNames(manifest)) locations[updatedName(name)] = 'gpu-buffer';
  for (const name of Object.values(manifest.trainStep.outputs)) locations[name] = 'cpu';
  return locations;
}

function stateNames(manifest: ArtifactsManifest): string[] {
  return manifest.parameters.flatMap((p) => [p.name, firstMomentName(p.name), secondMomentName(p.name)]);
}

/**
 * One optimizer update: the step session turns (batch, noise, step size, decay, parameters, moments)
 * into loss, hits, global norm and the new parameters and moments, which replace the old ones in
 * `state` unless the loss or the norm is not finite: then the update is not applied and the run stops,
 * except under mixed precision, where a non-finite norm with a finite loss is a float16 overflow that
 * `lossScale` answers by dropping the update and halving the scale.
 */
export class TrainStep {
  private readonly noise: NoiseFeeds;
  private readonly feeds: Record<string, ort.Tensor> = {};
  private readonly scalars = { stepSize: new Float32Array(1), decay: new Float32Array(1) };
  private readonly names: string[];
  private readonly lossScaleFeed = new Float32Array(1);

  /** `lossScale`: required when the step graph is mixed precision (manifest.trainStep.lossScaleInput). */
  constructor(
    private readonly manifest: ArtifactsManifest,
    private readonly session: ort.InferenceSession,
    private readonly state: ModelState,
    form: NoiseForm,
    capacity: number,
    private readonly lossScale: DynamicLossScale | null = null,
  ) {
    const scaleInput = manifest.trainStep.lossScaleInput;
    if ((scaleInput !== undefined) !== (lossScale !== null)) {
      throw new Error(
        scaleInput !== undefined
          ? 'the step graph is mixed precision: give TrainStep a DynamicLossScale'
          : 'a loss scale was given for a float32 step graph',
      );
    }
    if (scaleInput !== undefined) this.feeds[scaleInput] = new ort.Tensor('float32', this.lossScaleFeed, []);
    const step = manifest.trainStep;
    this.noise = new NoiseFeeds(form === 'fed' ? step.fed.noise : step.device.noise, {
      batch: capacity,
      rows: capacity * manifest.config.model.frames,
    });
    this.feeds[step.scalarInputs.stepSize] = new ort.Tensor('float32', this.scalars.stepSize, []);
    this.feeds[step.scalarInputs.decay] = new ort.Tensor('float32', this.scalars.decay, []);
    this.names = stateNames(manifest);
  }

  /** `step` is the 1-based number of this update (AdamW's bias-correction t, and the noise key). */
  async run(
    batch: PackedBatch,
    hyper: StepHyperparameters,
    seed: number,
    step: number,
  ): Promise<TrainStepResult> {
    const { trainStep, config } = this.manifest;
    const feeds = this.feeds;
    for (const [name, t] of Object.entries(packedFeeds(batch, config.model.frames)))
      feeds[name] = toOrtTensor(t);
    const noise = this.noise.fill((stream) => streamKey(seed, step, stream), {
      batch: batch.batch,
      slots: batch.slots,
    });
    for (const [name, t] of Object.entries(noise)) feeds[name] = toOrtTensor(t);
    const scalars = adamWStepScalars(
      step,
      hyper.learningRate,
      hyper.weightDecay,
      adamWConstants(config.train),
    );
    this.scalars.stepSize[0] = scalars.stepSize;
    this.scalars.decay[0] = scalars.decay;
    for (const name of this.names) feeds[name] = this.state.get(name);
    if (this.lossScale !== null) this.lossScaleFeed[0] = this.lossScale.scale;

    const out = await this.session.run(feeds);
    const scalar = (name: string) => (out[name]!.data as Float32Array)[0]!;
    const loss = scalar(trainStep.outputs.loss);
    const gradNorm = scalar(trainStep.outputs.norm);
    const hitData = out[trainStep.outputs.hits]!.data as Float32Array;
    const hits: [number, number, number] = [hitData[0]!, hitData[1]!, hitData[2]!];
    const drop = () => {
      for (const name of this.names) out[updatedName(name)]!.dispose();
    };
    if (!Number.isFinite(loss) || (!Number.isFinite(gradNorm) && this.lossScale === null)) {
      drop();
      throw new TrainError(
        'non_finite_loss',
        `training loss ${loss}, gradient norm ${gradNorm} at step ${step}; the update was not applied`,
      );
    }
    if (this.lossScale !== null) {
      let applies: boolean;
      try {
        applies = this.lossScale.update(Number.isFinite(gradNorm));
      } catch (e) {
        drop();
        throw new TrainError('non_finite_loss', `step ${step}: ${(e as Error).message}; train in fp32`);
      }
      if (!applies) {
        drop();
        return { loss, hits, gradNorm, applied: false };
      }
    }
    for (const name of this.names) this.state.replace(name, out[updatedName(name)]!);
    return { loss, hits, gradNorm, applied: true };
  }
}

export interface ParameterShape {
  readonly name: string;
  readonly shape: readonly number[];
}

/**
 * What training changes: parameters and AdamW's two moments, held as the ort.Tensors the sessions
 * consume and produce. A step hands back new tensors and `replace` takes them as they are; on a GPU
 * they are GPU buffers (the previous ones are released), and they come to the host only for a
 * checkpoint or a metric that reads a parameter.
 */
export class ModelState {
  private hostCopy: Promise<ort.InferenceSession> | undefined;

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

  /** Parameters by name, as the eval graph takes them. */
  parameterFeeds(into: Record<string, ort.Tensor>): Record<string, ort.Tensor> {
    for (const p of this.parameters) into[p.name] = this.get(p.name);
    return into;
  }

  replace(name: string, tensor: ort.Tensor): void {
    const previous = this.values.get(name);
    if (!previous) throw new Error(`no state tensor ${name}`);
    this.values.set(name, tensor);
    if (previous.location === 'gpu-buffer') previous.dispose();
  }

  /** Values of state tensors on the host: the tensors' own data on the CPU, downloaded from a GPU. */
  async hostData(names: readonly string[]): Promise<Map<string, Float32Array>> {
    const result = new Map<string, Float32Array>();
    const onDevice = names.filter((name) => this.get(name).location !== 'cpu');
    for (const name of names)
      if (!onDevice.includes(name)) result.set(name, this.get(name).data as Float32Array);
    if (onDevice.length > 0) {
      // Tensor.getData() aborts the process for GPU buffers in onnxruntime-node 1.30; a session whose
      // outputs are its inputs, left in host memory, makes the provider copy them down instead.
      this.hostCopy ??= createSession(identityGraph(this.namesAndShapes()), { ep: 'webgpu' });
      const session = await this.hostCopy;
      const feeds: Record<string, ort.Tensor> = {};
      for (const name of session.inputNames) feeds[name] = this.get(name);
      const out = await session.run(feeds, onDevice.map(copyName));
      for (const name of onDevice) result.set(name, out[copyName(name)]!.data as Float32Array);
    }
    return result;
  }

  async parameterData(name: string): Promise<Float32Array> {
    return (await this.hostData([name])).get(name)!;
  }

  /** The checkpoint's view of the state (downloaded once from a GPU). */
  async checkpointTensors(): Promise<{ parameters: NamedTensor[]; optimizerState: NamedTensor[] }> {
    const all = this.namesAndShapes();
    const data = await this.hostData(all.map((t) => t.name));
    const named = ({ name, shape }: ParameterShape): NamedTensor => ({ name, shape, data: data.get(name)! });
    const ms = all.filter((t) => t.name.startsWith(firstMomentName('')));
    const vs = all.filter((t) => t.name.startsWith(secondMomentName('')));
    return { parameters: this.parameters.map(named), optimizerState: [...ms, ...vs].map(named) };
  }

  /** Releases the GPU buffers and the copy session of a run that is over. */
  async release(): Promise<void> {
    for (const t of this.values.values()) if (t.location === 'gpu-buffer') t.dispose();
    if (this.hostCopy) await (await this.hostCopy).release();
  }

  private namesAndShapes(): ParameterShape[] {
    return [
      ...this.parameters,
      ...this.parameters.map((p) => ({ name: firstMomentName(p.name), shape: p.shape })),
      ...this.parameters.map((p) => ({ name: secondMomentName(p.name), shape: p.shape })),
    ];
  }
}

const copyName = (name: string) => `${name}.host`;

/** Inputs straight to outputs `<name>.host`. */
function identityGraph(tensors: readonly ParameterShape[]): Graph {
  const g = new Graph({ name: 'state_to_host' });
  for (const t of tensors) g.output(op.identity(g.input(t.name, 'float32', t.shape)), copyName(t.name));
  return g;
}
