import { availableParallelism } from 'node:os';
import * as ort from 'onnxruntime-node';
import { Graph } from '../../onnx/graph.ts';
import * as op from '../../onnx/ops/index.ts';
import { graphToBytes } from '../../onnx/to-model.ts';
import { TrainError } from './train-error.ts';

export const EXECUTION_PROVIDERS = ['cpu', 'webgpu'] as const;
export type ExecutionProvider = (typeof EXECUTION_PROVIDERS)[number];

export interface SessionSettings {
  readonly ep: ExecutionProvider;
  /** Intra-op threads; default one per available core (the step is one big parallel graph). */
  readonly threads?: number;
}

export function sessionOptions(settings: SessionSettings): ort.InferenceSession.SessionOptions {
  const threads = settings.threads ?? availableParallelism();
  return {
    executionProviders: [settings.ep],
    intraOpNumThreads: threads,
    // The graphs are one chain of dependent ops: inter-op parallelism would only compete for the cores.
    interOpNumThreads: 1,
    executionMode: 'sequential',
    graphOptimizationLevel: 'all',
  };
}

/** Opens a session, turning an unusable execution provider into an error that says what to do. */
export async function openSession(
  model: string | Uint8Array,
  settings: SessionSettings,
): Promise<ort.InferenceSession> {
  try {
    return typeof model === 'string'
      ? await ort.InferenceSession.create(model, sessionOptions(settings))
      : await ort.InferenceSession.create(model, sessionOptions(settings));
  } catch (err) {
    const message = (err as Error).message;
    if (settings.ep === 'webgpu') {
      const bundled = ort.listSupportedBackends().some((b) => b.name === 'webgpu' && b.bundled);
      throw new TrainError(
        'execution_provider',
        bundled
          ? `--ep webgpu: onnxruntime-node's WebGPU provider could not start (${firstLine(message)}). ` +
              'It reaches a GPU through Vulkan (Linux) or D3D12/Metal: this machine needs a GPU with a working ' +
              'driver and libvulkan. Train with --ep cpu instead.'
          : '--ep webgpu: this onnxruntime-node build has no WebGPU provider; train with --ep cpu.',
      );
    }
    throw err;
  }
}

function firstLine(text: string): string {
  const reason = /Failed to get a WebGPU adapter[^\n]*/.exec(text)?.[0];
  return reason ?? text.split('\n')[0]!.slice(0, 300);
}

/**
 * Fails fast (the same TrainError as openSession) when the execution provider cannot run here, before
 * anything is written: a one-op model costs milliseconds to open.
 */
export async function checkExecutionProvider(settings: SessionSettings): Promise<void> {
  const g = new Graph({ name: 'ep_probe' });
  g.output(op.mul(g.input('x', 'float32', [1]), 2), 'y');
  const session = await openSession(graphToBytes(g), settings);
  await session.release();
}
