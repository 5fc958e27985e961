import { describe, expect, it } from 'vitest';
import { ortLoaderState, VERIFIED_ORT_VERSION } from '../../src/worker/runtime/ort-in-workerd.ts';
import { call } from './fixtures.ts';

/**
 * The workerd shim depends on how onnxruntime-web 1.30 loads its WASM (see ort-in-workerd.ts).
 * These fail loudly when an upgrade changes that, instead of the Worker failing in production.
 */
describe('onnxruntime-web inside workerd', () => {
  it('is the version the loader shim was verified against', () => {
    expect(
      ortLoaderState().version,
      'onnxruntime-web changed: re-verify src/worker/runtime/ort-in-workerd.ts',
    ).toBe(VERIFIED_ORT_VERSION);
  });

  it('needs the shim: workerd refuses to compile WebAssembly from bytes', async () => {
    const emptyModule = new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]);
    await expect(WebAssembly.instantiate(emptyModule)).rejects.toThrow();
  });

  it('started from the precompiled module exactly once, and left nothing patched', async () => {
    const before = WebAssembly.instantiate;
    expect((await call('/v1/model')).status).toBe(200);
    const state = ortLoaderState();
    expect(
      state.sentinelInstantiations,
      'ORT must ask for the WASM binary once, through WebAssembly.instantiate',
    ).toBe(1);
    expect(state.hookInstalled).toBe(false);
    expect(WebAssembly.instantiate).toBe(before);
  });
});
