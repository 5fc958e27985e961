/**
 * The one place that opens onnxruntime-node sessions: execution provider, threads, spinning, graph
 * optimisation, output placement and profiling, as named presets for what the callers do. Everything
 * in Node that runs a model asks here (the web runtime has its own: src/shared/ort-web-session.ts).
 */
import { readdir } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { basename, dirname, join } from 'node:path';
import * as ort from 'onnxruntime-node';
import type { DType } from './dtype.ts';
import { Graph } from './graph.ts';
import * as op from './ops/index.ts';
import type { TensorData } from './tensor-data.ts';
import { tensorData } from './tensor-data.ts';
import type { ToModelOptions } from './to-model.ts';
import { graphToBytes } from './to-model.ts';

export const EXECUTION_PROVIDERS = ['cpu', 'webgpu'] as const;
export type ExecutionProvider = (typeof EXECUTION_PROVIDERS)[number];

/**
 * - `training`: the training and optimizer steps, one big parallel graph each: every core by default,
 *   idle threads spin (the next kernel follows at once).
 * - `scoring`: `npm run submit`'s batches, which share the cores with the decode workers: idle
 *   threads sleep (measured: spinning made a batch ~10% faster but burned ~25% more CPU for the same
 *   work, CPU the workers needed).
 * - `latency`: one model measured or used as a yardstick (export's accuracy and latency passes, the
 *   Worker's native reference): spinning, `threads` as given (default 1, the Worker's case).
 * Without a preset, onnxruntime's own defaults (tests, constant folding).
 */
export type SessionPreset = 'training' | 'scoring' | 'latency';

export type GraphOptimization = 'disabled' | 'basic' | 'extended' | 'all';

export interface SessionOptions {
  readonly preset?: SessionPreset;
  /** Default cpu. */
  readonly ep?: ExecutionProvider;
  /** Intra-op threads; each preset has its default. */
  readonly threads?: number;
  /** Whether idle intra-op threads spin; each preset has its default. */
  readonly spinning?: boolean;
  /** Default all. */
  readonly optimization?: GraphOptimization;
  /**
   * Where `run` leaves the outputs: 'gpu-buffer' keeps them on the device (webgpu only), so a step's
   * state can go from one run to the next without a trip through host memory.
   */
  readonly outputLocation?: OutputLocation | Readonly<Record<string, OutputLocation>>;
  /** Writes an onnxruntime profile `<prefix>_<time>.json`; `endProfile` closes it. */
  readonly profilePrefix?: string;
  /** Writes the graph as onnxruntime optimised it, to see what it fused. */
  readonly optimizedModelPath?: string;
}

/** Where a run leaves an output: in host memory, or in a GPU buffer that can feed the next run. */
export type OutputLocation = 'cpu' | 'gpu-buffer';

export type SessionErrorCode =
  /** The execution provider asked for cannot run here (e.g. WebGPU without a GPU adapter). */
  | 'execution_provider'
  /** Outputs asked to stay on a device the execution provider does not have. */
  | 'output_location'
  /** float16 arithmetic asked of a provider that cannot do it (a WebGPU adapter without shader-f16). */
  | 'float16_unsupported';

/** A session that cannot be opened as asked, with a message meant for the person at the terminal. */
export class SessionError extends Error {
  override readonly name = 'SessionError';

  constructor(
    readonly code: SessionErrorCode,
    message: string,
  ) {
    super(message);
  }
}

const PRESETS: Readonly<
  Record<SessionPreset, { readonly threads: () => number; readonly spinning: boolean }>
> = {
  training: { threads: availableParallelism, spinning: true },
  scoring: { threads: availableParallelism, spinning: false },
  latency: { threads: () => 1, spinning: true },
};

/** onnxruntime's options for `options`: exported so that the presets' meaning is checked directly. */
export function ortSessionOptions(options: SessionOptions = {}): ort.InferenceSession.SessionOptions {
  const ep = options.ep ?? 'cpu';
  const locations =
    typeof options.outputLocation === 'object'
      ? Object.values(options.outputLocation)
      : [options.outputLocation];
  if (locations.includes('gpu-buffer') && ep !== 'webgpu') {
    throw new SessionError('output_location', `outputs can stay on the GPU only with webgpu, not ${ep}`);
  }
  const requested: ort.InferenceSession.SessionOptions = {
    ...(options.outputLocation === undefined
      ? {}
      : {
          preferredOutputLocation:
            typeof options.outputLocation === 'string'
              ? options.outputLocation
              : { ...options.outputLocation },
        }),
    ...(options.profilePrefix === undefined
      ? {}
      : { enableProfiling: true, profileFilePrefix: options.profilePrefix }),
    ...(options.optimizedModelPath === undefined
      ? {}
      : { optimizedModelFilePath: options.optimizedModelPath }),
  };
  if (options.preset === undefined) {
    return {
      ...(options.ep === undefined ? {} : { executionProviders: [ep] }),
      ...(options.threads === undefined ? {} : { intraOpNumThreads: options.threads }),
      ...(options.optimization === undefined ? {} : { graphOptimizationLevel: options.optimization }),
      ...(options.spinning === undefined ? {} : spinning(options.spinning)),
      ...requested,
    };
  }
  const preset = PRESETS[options.preset];
  return {
    executionProviders: [ep],
    intraOpNumThreads: options.threads ?? preset.threads(),
    // The graphs are one chain of dependent ops: inter-op parallelism would only compete for the cores.
    interOpNumThreads: 1,
    executionMode: 'sequential',
    graphOptimizationLevel: options.optimization ?? 'all',
    ...spinning(options.spinning ?? preset.spinning),
    ...requested,
  };
}

function spinning(on: boolean): ort.InferenceSession.SessionOptions {
  return { extra: { session: { intra_op: { allow_spinning: on ? '1' : '0' } } } };
}

/**
 * Opens a session on model bytes or an ONNX file, turning an execution provider that cannot start
 * into a SessionError that says what to do.
 */
export async function openSession(
  model: Uint8Array | string,
  options: SessionOptions = {},
): Promise<ort.InferenceSession> {
  const ortOptions = ortSessionOptions(options);
  try {
    return typeof model === 'string'
      ? await ort.InferenceSession.create(model, ortOptions)
      : await ort.InferenceSession.create(model, ortOptions);
  } catch (err) {
    if (options.ep === 'webgpu') throw webgpuUnavailable((err as Error).message);
    throw err;
  }
}

function webgpuUnavailable(message: string): SessionError {
  const bundled = ort.listSupportedBackends().some((b) => b.name === 'webgpu' && b.bundled);
  const reason = /Failed to get a WebGPU adapter[^\n]*/.exec(message)?.[0];
  return new SessionError(
    'execution_provider',
    bundled
      ? `--ep webgpu: onnxruntime-node's WebGPU provider could not start (${reason ?? message.split('\n')[0]!.slice(0, 300)}). ` +
          'It reaches a GPU through Vulkan (Linux) or D3D12/Metal: this machine needs a GPU with a working ' +
          'driver and libvulkan. Run with --ep cpu instead.'
      : '--ep webgpu: this onnxruntime-node build has no WebGPU provider; run with --ep cpu.',
  );
}

/**
 * Fails fast (the same SessionError as openSession) when the execution provider cannot run here, before
 * anything is written: a one-op model costs milliseconds to open.
 */
export async function checkExecutionProvider(options: SessionOptions): Promise<void> {
  const g = new Graph({ name: 'ep_probe' });
  g.output(op.mul(g.input('x', 'float32', [1]), 2), 'y');
  const session = await openSession(graphToBytes(g), options);
  await session.release();
}

/**
 * Fails fast when the execution provider cannot run float16 arithmetic (mixed-precision training):
 * WebGPU needs the adapter's shader-f16 feature, which session creation does not check, so this runs
 * a float16 Cast and Mul. The CPU provider computes float16 through casts it inserts, so it passes.
 */
export async function checkFloat16(options: SessionOptions): Promise<void> {
  const g = new Graph({ name: 'float16_probe' });
  const half = op.cast(g.input('x', 'float32', [4]), 'float16');
  g.output(op.cast(op.mul(half, half), 'float32'), 'y');
  const session = await openSession(graphToBytes(g), options);
  try {
    const { y } = await session.run({ x: new ort.Tensor('float32', Float32Array.of(1, 2, 3, 4), [4]) });
    const got = Array.from(y!.data as Float32Array);
    if (got.join() !== '1,4,9,16') throw new Error(`float16 1..4 squared gave ${got.join(', ')}`);
  } catch (err) {
    const reason = (err as Error).message.includes('requires f16')
      ? 'its WebGPU adapter has no shader-f16 feature'
      : (err as Error).message.split('\n')[0]!.slice(0, 300);
    throw new SessionError(
      'float16_unsupported',
      `--ep ${options.ep ?? 'cpu'} cannot run float16 arithmetic here (${reason}): mixed precision needs it. ` +
        'Train with --set train.precision=fp32.',
    );
  } finally {
    await session.release();
  }
}

/**
 * Ends the profile of a session opened with `profilePrefix` and returns the file onnxruntime wrote
 * (onnxruntime-node does not say: its name is the prefix, `_`, the time the session started).
 */
export async function endProfile(session: ort.InferenceSession, profilePrefix: string): Promise<string> {
  session.endProfiling();
  const dir = dirname(profilePrefix);
  const stem = `${basename(profilePrefix)}_`;
  const written = (await readdir(dir)).filter((f) => f.startsWith(stem) && f.endsWith('.json')).sort();
  if (written.length === 0) throw new Error(`no profile ${join(dir, stem)}*.json was written`);
  return join(dir, written.at(-1)!);
}

export interface GraphSessionOptions extends ToModelOptions, SessionOptions {}

/** Serialise a builder graph and open a session on it. */
export async function createSession(
  graph: Graph,
  options: GraphSessionOptions = {},
): Promise<ort.InferenceSession> {
  return openSession(graphToBytes(graph, options), options);
}

/** Our dtype names are ORT's, except that ORT's type set is narrower. */
export function toOrtTensor(t: TensorData): ort.Tensor {
  return new ort.Tensor(t.dtype as ort.Tensor.Type, t.data as ort.Tensor.DataType, [...t.dims]);
}

export function fromOrtTensor(t: ort.Tensor): TensorData {
  return tensorData(t.type as DType, t.data as TensorData['data'], [...t.dims]);
}

/** Run a session on TensorData feeds and return every output as TensorData. */
export async function runSession(
  session: ort.InferenceSession,
  feeds: Readonly<Record<string, TensorData>>,
): Promise<Record<string, TensorData>> {
  const ortFeeds: Record<string, ort.Tensor> = {};
  for (const [k, v] of Object.entries(feeds)) ortFeeds[k] = toOrtTensor(v);
  const results = await session.run(ortFeeds);
  const out: Record<string, TensorData> = {};
  for (const [k, v] of Object.entries(results)) out[k] = fromOrtTensor(v);
  return out;
}
