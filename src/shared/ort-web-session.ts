/**
 * The one place that opens onnxruntime-web sessions and sets its `env.wasm`: the WASM build (SIMD),
 * one thread, all graph optimisations. The export measures the Worker's engine with it in Node, and
 * the Worker serves with it in workerd, where the runtime's module has to come precompiled (the
 * Worker passes `instantiation`: src/worker/runtime/ort-in-workerd.ts).
 */
import * as ort from 'onnxruntime-web/wasm';

/**
 * How the WASM runtime gets its module where it cannot fetch or compile one itself (workerd). ORT
 * instantiates `wasmBinary` through `WebAssembly.instantiate`; `during` runs a session creation with
 * that call answered by a module compiled ahead of time.
 */
export interface WasmInstantiation {
  readonly wasmBinary: Uint8Array;
  during<T>(create: () => Promise<T>): Promise<T>;
}

export interface WebSessionOptions {
  readonly instantiation?: WasmInstantiation;
}

export type WebSession = ort.InferenceSession;
export type WebTensor = ort.Tensor;

const SESSION_OPTIONS: ort.InferenceSession.SessionOptions = {
  executionProviders: ['wasm'],
  graphOptimizationLevel: 'all',
};

let configuredWith: WasmInstantiation | null | undefined;

/** `env.wasm` is read once, when the runtime starts: every session of a process must agree on it. */
function configure(instantiation: WasmInstantiation | null): void {
  if (configuredWith !== undefined) {
    if (configuredWith !== instantiation)
      throw new Error('onnxruntime-web was started with another WASM instantiation in this process');
    return;
  }
  // workerd has no workers to spawn, and one thread is what the export measures the Worker by.
  ort.env.wasm.numThreads = 1;
  ort.env.wasm.proxy = false;
  if (instantiation !== null) ort.env.wasm.wasmBinary = instantiation.wasmBinary;
  ort.env.logLevel = 'warning';
  configuredWith = instantiation;
}

/** Opens an onnxruntime-web session on model bytes; the first one also starts the WASM runtime. */
export async function openWebSession(
  model: Uint8Array,
  options: WebSessionOptions = {},
): Promise<WebSession> {
  const instantiation = options.instantiation ?? null;
  configure(instantiation);
  const create = () => ort.InferenceSession.create(model, SESSION_OPTIONS);
  return instantiation === null ? create() : instantiation.during(create);
}

export function webTensor(data: Float32Array, dims: readonly number[]): WebTensor {
  return new ort.Tensor('float32', data, dims);
}

export function ortWebVersion(): string {
  return ort.env.versions.web ?? ort.env.versions.common;
}
