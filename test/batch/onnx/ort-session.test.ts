import { availableParallelism, tmpdir } from 'node:os';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Graph } from '../../../src/batch/onnx/graph.ts';
import * as op from '../../../src/batch/onnx/ops/index.ts';
import {
  checkExecutionProvider,
  checkFloat16,
  createSession,
  endProfile,
  openSession,
  ortSessionOptions,
  runSession,
  SessionError,
} from '../../../src/batch/onnx/ort-session.ts';
import { tensorData } from '../../../src/batch/onnx/tensor-data.ts';
import { graphToBytes } from '../../../src/batch/onnx/to-model.ts';
import { softwareWebGpu } from '../software-webgpu.ts';

const root = mkdtempSync(join(tmpdir(), 'signcast-ort-session-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function affine(): Graph {
  const g = new Graph({ name: 'affine' });
  const x = g.input('x', 'float32', ['batch', 3]);
  g.output(op.add(op.mul(x, 2), 1), 'y');
  return g;
}

const spinning = (on: boolean) => ({ extra: { session: { intra_op: { allow_spinning: on ? '1' : '0' } } } });
const sequential = { interOpNumThreads: 1, executionMode: 'sequential', graphOptimizationLevel: 'all' };

describe('session presets', () => {
  it('spell each caller need once', () => {
    expect(ortSessionOptions({ preset: 'training' })).toEqual({
      executionProviders: ['cpu'],
      intraOpNumThreads: availableParallelism(),
      ...sequential,
      ...spinning(true),
    });
    expect(ortSessionOptions({ preset: 'scoring', threads: 3 })).toEqual({
      executionProviders: ['cpu'],
      intraOpNumThreads: 3,
      ...sequential,
      ...spinning(false),
    });
    expect(ortSessionOptions({ preset: 'latency' })).toEqual({
      executionProviders: ['cpu'],
      intraOpNumThreads: 1,
      ...sequential,
      ...spinning(true),
    });
    expect(ortSessionOptions()).toEqual({});
  });

  it('take overrides: provider, threads, optimisation, spinning, output placement, profiling', () => {
    expect(
      ortSessionOptions({
        preset: 'training',
        ep: 'webgpu',
        threads: 2,
        optimization: 'basic',
        spinning: false,
        outputLocation: 'gpu-buffer',
        profilePrefix: 'p/bench',
      }),
    ).toEqual({
      executionProviders: ['webgpu'],
      intraOpNumThreads: 2,
      interOpNumThreads: 1,
      executionMode: 'sequential',
      graphOptimizationLevel: 'basic',
      ...spinning(false),
      preferredOutputLocation: 'gpu-buffer',
      enableProfiling: true,
      profileFilePrefix: 'p/bench',
    });
    expect(ortSessionOptions({ threads: 1, optimization: 'disabled' })).toEqual({
      intraOpNumThreads: 1,
      graphOptimizationLevel: 'disabled',
    });
  });

  it('refuses outputs on the GPU without a GPU provider', () => {
    expect(() => ortSessionOptions({ preset: 'training', outputLocation: 'gpu-buffer' })).toThrow(
      SessionError,
    );
    expect(() => ortSessionOptions({ outputLocation: 'gpu-buffer' })).toThrow(/only with webgpu, not cpu/);
    expect(() => ortSessionOptions({ outputLocation: { state: 'gpu-buffer', loss: 'cpu' } })).toThrow(
      /only with webgpu/,
    );
  });

  it('place outputs one by one: the state on the device, the scalars on the host', () => {
    const locations = { 'w.new': 'gpu-buffer', loss: 'cpu' } as const;
    expect(ortSessionOptions({ ep: 'webgpu', outputLocation: locations }).preferredOutputLocation).toEqual(
      locations,
    );
  });

  it('open sessions that give the same answers', async () => {
    const x = tensorData('float32', [1, 2, 3, -1, 0, 0.5], [2, 3]);
    for (const preset of ['training', 'scoring', 'latency', undefined] as const) {
      const session = await createSession(affine(), preset === undefined ? {} : { preset, threads: 1 });
      const { y } = await runSession(session, { x });
      expect(Array.from(y!.data as Float32Array), String(preset)).toEqual([3, 5, 7, -1, 1, 2]);
      await session.release();
    }
    await expect(checkExecutionProvider({ preset: 'training', ep: 'cpu' })).resolves.toBeUndefined();
  });

  it('write a profile and say where', async () => {
    const prefix = join(root, 'affine');
    const session = await openSession(graphToBytes(affine()), { preset: 'latency', profilePrefix: prefix });
    await runSession(session, { x: tensorData('float32', [1, 2, 3], [1, 3]) });
    const file = await endProfile(session, prefix);
    await session.release();
    expect(file.startsWith(`${prefix}_`)).toBe(true);
    expect(existsSync(file)).toBe(true);
    const events = JSON.parse(readFileSync(file, 'utf8')) as { cat: string; name: string }[];
    expect(events.some((e) => e.cat === 'Node')).toBe(true);
  });
});

describe('execution providers', () => {
  it('fails with a clear message when WebGPU has no GPU to run on', async () => {
    try {
      const session = await openSession(graphToBytes(affine()), { preset: 'training', ep: 'webgpu' });
      // A machine with a GPU gets a working session instead.
      expect(session.inputNames).toEqual(['x']);
      await session.release();
    } catch (err) {
      expect(err).toBeInstanceOf(SessionError);
      expect((err as SessionError).code).toBe('execution_provider');
      expect((err as Error).message).toMatch(/--ep webgpu.*--ep cpu/s);
    }
  });
});

describe('the float16 probe (mixed precision)', () => {
  it('passes on the CPU, which computes float16 through casts', async () => {
    await expect(checkFloat16({ ep: 'cpu', threads: 1 })).resolves.toBeUndefined();
  });

  const gpu = softwareWebGpu();
  it.skipIf(!gpu.available)(`names what a WebGPU adapter lacks (${gpu.description})`, async () => {
    const failure = await checkFloat16({ ep: 'webgpu', threads: 1 }).then(
      () => null,
      (err: unknown) => err,
    );
    // SwiftShader has no shader-f16; a real GPU named by SIGNCAST_WEBGPU_ICD may have it.
    if (failure !== null || /swiftshader/i.test(gpu.description)) {
      expect(failure).toBeInstanceOf(SessionError);
      expect(failure).toMatchObject({
        code: 'float16_unsupported',
        message: expect.stringMatching(/no shader-f16 feature.*--set train\.precision=fp32/s),
      });
    }
  });
});
