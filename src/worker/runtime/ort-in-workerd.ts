import ortWasm from 'onnxruntime-web/ort-wasm-simd-threaded.wasm';
import { BundleError } from '../../shared/bundle/bundle-error.ts';
import {
  openWebSession,
  ortWebVersion,
  type WasmInstantiation,
  type WebSession,
} from '../../shared/ort-web-session.ts';

/**
 * onnxruntime-web inside workerd.
 *
 * workerd has no `import.meta.url` and refuses to compile WebAssembly from bytes; it only
 * instantiates modules compiled at deploy time (wrangler imports `.wasm` as CompiledWasm). ORT 1.30
 * offers no hook for a precompiled module: its emscripten loader would honour `instantiateWasm`, but
 * ORT builds the loader's options itself and passes only `numThreads`, `wasmBinary` and `locateFile`.
 *
 * So, two moves, both checked against the installed version by test/worker/ort-loader.test.ts:
 * - `env.wasm.wasmBinary` is set to a short sentinel (by the shared web session module, from the
 *   instantiation below). Any binary makes ORT skip URL resolution, and emscripten then calls
 *   `WebAssembly.instantiate(copyOfBinary, imports)`.
 * - While a session is being created, `WebAssembly.instantiate` is wrapped: a call whose bytes equal
 *   the sentinel is answered with an instance of the precompiled module (the `{instance, module}`
 *   pair emscripten expects); every other call goes to the original. The wrapper is removed as soon
 *   as no creation is in flight, so nothing stays patched while requests are served.
 *
 * Single thread: the threaded build runs single-threaded with `numThreads = 1` (workerd has no
 * workers to spawn), and the build is SIMD-only in 1.30.
 */

/** The version the sentinel hook was verified against; the loader test fails when it changes. */
export const VERIFIED_ORT_VERSION = '1.30.0';

const SENTINEL = new TextEncoder().encode('signcast:precompiled-ort-wasm');

let activeCreations = 0;
let originalInstantiate: typeof WebAssembly.instantiate | undefined;
let sentinelInstantiations = 0;
let runtimeStarted = false;
let wasmMemory: WebAssembly.Memory | undefined;

function isSentinel(source: unknown): boolean {
  let bytes: Uint8Array;
  if (source instanceof ArrayBuffer) bytes = new Uint8Array(source);
  else if (ArrayBuffer.isView(source))
    bytes = new Uint8Array(source.buffer, source.byteOffset, source.byteLength);
  else return false;
  return bytes.length === SENTINEL.length && bytes.every((b, i) => b === SENTINEL[i]);
}

/** The threaded build imports its (shared) memory; other builds export it. */
function findMemory(
  instance: WebAssembly.Instance,
  imports: WebAssembly.Imports | undefined,
): WebAssembly.Memory | undefined {
  const candidates = [
    ...Object.values(instance.exports),
    ...Object.values(imports ?? {}).flatMap((module) => Object.values(module)),
  ];
  return candidates.find((value): value is WebAssembly.Memory => value instanceof WebAssembly.Memory);
}

function installHook(): void {
  if (activeCreations++ > 0) return;
  const original = WebAssembly.instantiate;
  originalInstantiate = original;
  const hooked = async (source: unknown, imports?: WebAssembly.Imports): Promise<unknown> => {
    if (!isSentinel(source)) return Reflect.apply(original, WebAssembly, [source, imports]);
    sentinelInstantiations++;
    const instance = await original(ortWasm, imports);
    wasmMemory = findMemory(instance, imports);
    runtimeStarted = true;
    return { instance, module: ortWasm };
  };
  WebAssembly.instantiate = hooked as typeof WebAssembly.instantiate;
}

function removeHook(): void {
  if (--activeCreations > 0 || !originalInstantiate) return;
  WebAssembly.instantiate = originalInstantiate;
  originalInstantiate = undefined;
}

const PRECOMPILED: WasmInstantiation = {
  wasmBinary: SENTINEL,
  async during(create) {
    installHook();
    try {
      return await create();
    } finally {
      removeHook();
    }
  },
};

/**
 * Opens an onnxruntime-web session in workerd. The first call also starts ORT's WASM runtime: a
 * failure there is `ort_unavailable`; any other failure is the model's (the bundle loader makes it
 * `model_load_failed`).
 */
export async function openSessionInWorkerd(model: Uint8Array): Promise<WebSession> {
  try {
    return await openWebSession(model, { instantiation: PRECOMPILED });
  } catch (cause) {
    if (runtimeStarted) throw cause;
    const how =
      sentinelInstantiations === 0
        ? `its loader never asked for the WASM binary the way version ${VERIFIED_ORT_VERSION} does (see src/worker/runtime/ort-in-workerd.ts)`
        : 'instantiating the precompiled WASM module failed';
    throw new BundleError(
      'ort_unavailable',
      `onnxruntime-web ${ortWebVersion()} did not start: ${how}: ${String(cause)}`,
      { cause },
    );
  }
}

/** Size of ORT's WASM heap now (it only grows): the bulk of the isolate's memory use. */
export function ortWasmMemoryBytes(): number | null {
  return wasmMemory ? wasmMemory.buffer.byteLength : null;
}

/** For the loader test: how the runtime was started, and whether anything is still patched. */
export function ortLoaderState(): {
  version: string;
  sentinelInstantiations: number;
  hookInstalled: boolean;
} {
  return {
    version: ortWebVersion(),
    sentinelInstantiations,
    hookInstalled: originalInstantiate !== undefined,
  };
}
