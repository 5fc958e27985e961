import { describe, expect, it } from 'vitest';
import { Graph } from '../../../src/batch/onnx/graph.ts';
import type { NoiseForm } from '../../../src/batch/onnx/noise/noise-source.ts';
import { NoiseFeeds, noiseSource } from '../../../src/batch/onnx/noise/noise-source.ts';
import * as op from '../../../src/batch/onnx/ops/index.ts';
import type { SessionOptions } from '../../../src/batch/onnx/ort-session.ts';
import { createSession, runSession } from '../../../src/batch/onnx/ort-session.ts';
import type { TensorData } from '../../../src/batch/onnx/tensor-data.ts';
import { tensorData } from '../../../src/batch/onnx/tensor-data.ts';
import { draw16, keepThreshold16, streamKey } from '../../../src/batch/random/counter-hash.ts';
import { softwareWebGpu } from '../software-webgpu.ts';

const ROWS = 37;
const CHANNELS = 24;
const BATCH = 5;

/**
 * A graph drawing two keep masks, one over packed rows [R, 24] (counters slot * 24 + c) and one dense
 * [B, 6], in the given form; returns the masks as 0/1 numbers.
 */
async function masks(form: NoiseForm, slots: Int32Array, session: SessionOptions = {}) {
  const g = new Graph();
  const noise = noiseSource(g, form, 1);
  const rows = g.input('rows', 'float32', ['active_rows', CHANNELS]);
  const dense = g.input('dense', 'float32', ['batch', 6]);
  const slotInput = g.input('slots', 'int32', ['active_rows']);
  g.output(op.cast(noise.keepMask(rows, 0.7, { kind: 'rows', slots: slotInput }), 'float32'), 'rows_mask');
  g.output(op.cast(noise.keepMask(dense, 0.25), 'float32'), 'dense_mask');
  const s = await createSession(g, session);
  const feeds: Record<string, TensorData> = {
    rows: tensorData('float32', new Float32Array(slots.length * CHANNELS), [slots.length, CHANNELS]),
    dense: tensorData('float32', new Float32Array(BATCH * 6), [BATCH, 6]),
    slots: tensorData('int32', slots, [slots.length]),
    ...new NoiseFeeds(noise.streams, { batch: BATCH, rows: slots.length }).fill((k) => streamKey(9, 17, k), {
      batch: BATCH,
      slots,
    }),
  };
  const out = await runSession(s, feeds);
  await s.release();
  return {
    streams: noise.streams,
    rows: Array.from(out.rows_mask!.data as Float32Array),
    dense: Array.from(out.dense_mask!.data as Float32Array),
  };
}

/** Packed rows of 64-frame clips: every third frame slot, as a batch with gaps would have them. */
const SLOTS = Int32Array.from({ length: ROWS }, (_, r) => 3 * r + 5);

/** What the masks must be, from the JS hash alone. */
function expectedMasks() {
  const rowsKey = streamKey(9, 17, 1);
  const denseKey = streamKey(9, 17, 2);
  const rows = Array.from({ length: ROWS * CHANNELS }, (_, e) => {
    const counter = SLOTS[Math.floor(e / CHANNELS)]! * CHANNELS + (e % CHANNELS);
    return draw16(rowsKey, counter) < keepThreshold16(0.7) ? 1 : 0;
  });
  const dense = Array.from({ length: BATCH * 6 }, (_, e) =>
    draw16(denseKey, e) < keepThreshold16(0.25) ? 1 : 0,
  );
  return { rows, dense };
}

describe('noise drawn in the graph and noise fed from JS', () => {
  it('give the JS hash, bit for bit: counters per packed row (slot * channels + c) and dense', async () => {
    const expected = expectedMasks();
    const fed = await masks('fed', SLOTS);
    expect(fed.streams.map((s) => [s.name, s.counters])).toEqual([
      ['noise/1', 'rows'],
      ['noise/2', 'dense'],
    ]);
    expect(fed.rows).toEqual(expected.rows);
    expect(fed.dense).toEqual(expected.dense);
    const drawn = await masks('graph', SLOTS);
    expect(drawn.streams.map((s) => s.name)).toEqual(['noise_key/1', 'noise_key/2']);
    expect(drawn.rows).toEqual(expected.rows);
    expect(drawn.dense).toEqual(expected.dense);
  });

  const gpu = softwareWebGpu();
  it.skipIf(!gpu.available)(
    `draws the same bits on onnxruntime's WebGPU provider (${gpu.description})`,
    async () => {
      const drawn = await masks('graph', SLOTS, { ep: 'webgpu' });
      const expected = expectedMasks();
      expect(drawn.rows).toEqual(expected.rows);
      expect(drawn.dense).toEqual(expected.dense);
    },
  );

  it('keeps at the asked rate, independently along a tensor, across steps and across streams', () => {
    const n = 1 << 18;
    const keep = keepThreshold16(0.7);
    const a = streamKey(7, 100, 1);
    const b = streamKey(7, 101, 1);
    const c = streamKey(7, 100, 2);
    const bits = (key: number) => Uint8Array.from({ length: n }, (_, i) => (draw16(key, i) < keep ? 1 : 0));
    const [x, y, z] = [bits(a), bits(b), bits(c)];
    const rate = (v: Uint8Array) => v.reduce((s, t) => s + t, 0) / n;
    // 0.7 with a standard error of 0.0009 at this n: 0.006 is more than six of them.
    for (const v of [x, y, z]) expect(Math.abs(rate(v) - 0.7)).toBeLessThan(0.006);
    const both = (u: Uint8Array, v: Uint8Array, lag = 0) => {
      let k = 0;
      for (let i = lag; i < n; i++) k += u[i]! & v[i - lag]!;
      return k / (n - lag);
    };
    // P(both kept) = 0.49 for independent draws; standard error ~0.001.
    for (const [u, v, lag] of [
      [x, x, 1],
      [x, x, 1024],
      [x, x, 65536],
      [x, y, 0],
      [x, z, 0],
    ] as const) {
      expect(Math.abs(both(u, v, lag) - 0.49), `lag ${lag}`).toBeLessThan(0.008);
    }
  });

  it('is uniform over 16 bins of the 16-bit draw (chi-square, 15 degrees of freedom)', () => {
    const key = streamKey(3, 5, 1);
    const bins = new Array<number>(16).fill(0);
    const n = 1 << 16;
    for (let i = 0; i < n; i++) bins[draw16(key, i) >>> 12]!++;
    const expected = n / 16;
    // 99.9th percentile of chi-square(15) is 37.7.
    expect(bins.reduce((s, v) => s + (v - expected) ** 2 / expected, 0)).toBeLessThan(37.7);
  });
});
