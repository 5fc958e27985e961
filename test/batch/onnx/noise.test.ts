import { describe, expect, it } from 'vitest';
import { Graph } from '../../../src/batch/onnx/graph.ts';
import { FedNoise, noiseFeeds } from '../../../src/batch/onnx/noise/fed-noise.ts';
import { GraphNoise } from '../../../src/batch/onnx/noise/graph-noise.ts';
import * as op from '../../../src/batch/onnx/ops/index.ts';
import { createSession, runSession } from '../../../src/batch/onnx/ort-session.ts';
import type { TensorData } from '../../../src/batch/onnx/tensor-data.ts';
import { scalarData, tensorData } from '../../../src/batch/onnx/tensor-data.ts';
import { counterBits, streamKey } from '../../../src/batch/random/counter-hash.ts';

function numbers(t: TensorData): number[] {
  return Array.from(t.data as ArrayLike<number>, Number);
}

function stats(xs: readonly number[]) {
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  const variance = xs.reduce((a, b) => a + (b - mean) ** 2, 0) / xs.length;
  let lag = 0;
  for (let i = 1; i < xs.length; i++) lag += (xs[i]! - mean) * (xs[i - 1]! - mean);
  return { mean, variance, lag1: lag / (xs.length - 1) / variance };
}

function correlation(a: readonly number[], b: readonly number[]) {
  const sa = stats(a);
  const sb = stats(b);
  let c = 0;
  for (let i = 0; i < a.length; i++) c += (a[i]! - sa.mean) * (b[i]! - sb.mean);
  return c / a.length / Math.sqrt(sa.variance * sb.variance);
}

/** Chi-square statistic of 16 equal bins; 15 degrees of freedom, 99.9th percentile 37.7. */
function chiSquare16(xs: readonly number[]) {
  const bins = new Array<number>(16).fill(0);
  for (const x of xs) bins[Math.floor(x * 16)]!++;
  const expected = xs.length / 16;
  return bins.reduce((a, b) => a + (b - expected) ** 2 / expected, 0);
}

async function graphNoise(seed: bigint, step: bigint, batch: number) {
  const g = new Graph();
  const noise = new GraphNoise(g.input('seed', 'int64', []), g.input('step', 'int64', []));
  const x = g.input('x', 'float32', ['batch', 64, 32]);
  g.output(noise.uniformLike(x), 'u');
  g.output(op.cast(noise.bernoulliLike(x, 0.7), 'float32'), 'm');
  const session = await createSession(g);
  const feeds = {
    seed: scalarData('int64', seed),
    step: scalarData('int64', step),
    x: tensorData('float32', new Float32Array(batch * 64 * 32), [batch, 64, 32]),
  };
  const r = await runSession(session, feeds);
  await session.release();
  return { u: numbers(r.u!), m: numbers(r.m!), dims: r.u!.dims };
}

describe('GraphNoise (uint32 counter hash in ONNX ops)', () => {
  it('matches the JS reference bit for bit: ORT wraps uint32 Mul/Add, shifts and xors as expected', async () => {
    const seed = 2n ** 40n + 12345n; // taken modulo 2^32
    const { u, m, dims } = await graphNoise(seed, 17n, 3);
    expect(dims).toEqual([3, 64, 32]);
    const k0 = streamKey(seed, 17, 0);
    const k1 = streamKey(seed, 17, 1);
    u.forEach((v, i) => {
      if (v !== (counterBits(k0, i) >>> 8) / 2 ** 24) throw new Error(`uniform ${i}: ${v}`);
    });
    m.forEach((v, i) => {
      if (v !== (counterBits(k1, i) < Math.round(0.7 * 2 ** 32) ? 1 : 0)) throw new Error(`mask ${i}: ${v}`);
    });
  });

  it('is uniform, uncorrelated along the tensor, across steps and across streams', async () => {
    const a = await graphNoise(7n, 100n, 8);
    const b = await graphNoise(7n, 101n, 8);
    const again = await graphNoise(7n, 100n, 8);
    expect(again.u).toEqual(a.u);
    const s = stats(a.u);
    expect(Math.abs(s.mean - 0.5)).toBeLessThan(0.01);
    expect(Math.abs(s.variance - 1 / 12)).toBeLessThan(0.003);
    expect(Math.abs(s.lag1)).toBeLessThan(0.03);
    expect(chiSquare16(a.u)).toBeLessThan(37.7);
    expect(Math.abs(correlation(a.u, b.u))).toBeLessThan(0.03);
    const keepRate = a.m.reduce((x, y) => x + y, 0) / a.m.length;
    expect(Math.abs(keepRate - 0.7)).toBeLessThan(0.015);
    expect(Math.abs(correlation(a.u, a.m))).toBeLessThan(0.03);
  });
});

describe('FedNoise (the same hash in JS, fed as uint16)', () => {
  it('compares fed bits in the graph; feeds are reproducible from (seed, step)', async () => {
    const g = new Graph();
    const x = g.input('x', 'float32', ['batch', 10, 7]);
    const noise = new FedNoise(g);
    g.output(noise.uniformLike(x), 'u');
    g.output(op.cast(noise.bernoulliLike(x, 0.25), 'float32'), 'm');
    expect(noise.inputs.map((i) => i.name)).toEqual(['noise/0', 'noise/1']);
    const session = await createSession(g);
    const feeds = noiseFeeds(noise.inputs, { batch: 40 }, 99, 5);
    expect(noiseFeeds(noise.inputs, { batch: 40 }, 99, 5)).toEqual(feeds);
    expect(noiseFeeds(noise.inputs, { batch: 40 }, 99, 6)['noise/0']!.data).not.toEqual(
      feeds['noise/0']!.data,
    );
    const r = await runSession(session, {
      ...feeds,
      x: tensorData('float32', new Float32Array(2800), [40, 10, 7]),
    });
    const bits = numbers(feeds['noise/0']!);
    expect(numbers(r.u!)).toEqual(bits.map((b) => b / 65536));
    const key = streamKey(99, 5, 0);
    expect(bits[6]).toBe(counterBits(key, 3) & 0xffff);
    expect(bits[7]).toBe(counterBits(key, 3) >>> 16);
    const m = numbers(r.m!);
    expect(Math.abs(m.reduce((a, b) => a + b, 0) / m.length - 0.25)).toBeLessThan(0.03);
    expect(chiSquare16(numbers(r.u!))).toBeLessThan(37.7);
    await session.release();
  });
});
