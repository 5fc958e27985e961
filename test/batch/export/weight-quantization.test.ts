import { describe, expect, it } from 'vitest';
import { seededUniform } from '../../../src/batch/random/pinned-generators.ts';
import {
  quantizeWeight,
  quantizeWeightAuto,
} from '../../../src/batch/export/quantize/weight-quantization.ts';

/** Seeded uniform draws in [-0.5, 0.5). */
function seeded(seed: number): () => number {
  const uniform = seededUniform(seed);
  return () => uniform() - 0.5;
}

describe('quantizeWeight', () => {
  it('per channel: every value within half a step of its column scale, extremes at +-127', () => {
    const k = 16;
    const n = 5;
    const rand = seeded(1);
    // Columns with ranges 100x apart: what per-channel scales exist for.
    const w = Float32Array.from({ length: k * n }, (_, i) => rand() * 10 ** (i % n) * 0.01);
    const q = quantizeWeight(w, k, n, 'per-channel');
    expect(q.scales).toHaveLength(n);
    for (let col = 0; col < n; col++) {
      let maxQ = 0;
      for (let row = 0; row < k; row++) {
        const i = row * n + col;
        expect(Math.abs(w[i]! - q.values[i]! * q.scales[col]!)).toBeLessThanOrEqual(
          q.scales[col]! / 2 + 1e-12,
        );
        maxQ = Math.max(maxQ, Math.abs(q.values[i]!));
      }
      expect(maxQ).toBe(127);
    }
  });

  it('is symmetric: w and -w quantize to opposite values, zero to zero', () => {
    const w = Float32Array.from([0.3, -0.3, 0, 1, -1, 0.5]);
    const q = quantizeWeight(w, 3, 2, 'per-tensor');
    expect(q.values[0]).toBe(-q.values[1]!);
    expect(q.values[2]).toBe(0);
    expect(q.values[3]).toBe(127);
    expect(q.values[4]).toBe(-127);
  });

  it('keeps an all-zero column exact with a usable scale', () => {
    const w = Float32Array.from([0, 1, 0, -2]);
    const q = quantizeWeight(w, 2, 2, 'per-channel');
    expect(Array.from(q.values)).toEqual([0, 64, 0, -127]);
    expect(q.scales[0]).toBe(1);
  });

  it('auto picks per channel when column ranges differ, per tensor when they do not', () => {
    const rand = seeded(2);
    const k = 64;
    const n = 32;
    const alike = Float32Array.from({ length: k * n }, () => rand());
    const unlike = Float32Array.from({ length: k * n }, (_, i) => rand() * (1 + (i % n)));
    const a = quantizeWeightAuto(alike, k, n);
    const b = quantizeWeightAuto(unlike, k, n);
    expect(a.chosen.granularity).toBe('per-tensor');
    expect(b.chosen.granularity).toBe('per-channel');
    expect(b.perChannelError).toBeLessThan(b.perTensorError * 0.9);
    expect(b.chosen.relativeError).toBeLessThan(0.01);
  });
});
