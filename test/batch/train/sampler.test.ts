import { describe, expect, it } from 'vitest';
import { Random } from '../../../src/batch/random/random.ts';
import { createAllSignsSampler, rowsBySign, sequentialBatches } from '../../../src/batch/train/sampler.ts';

/** `perSign[s]` rows of sign s, in a shuffled row order, plus some unknown-sign rows (-1). */
function labelsWith(perSign: readonly number[], unknown = 0): Int16Array {
  const labels = perSign.flatMap((n, sign) => new Array<number>(n).fill(sign));
  labels.push(...new Array<number>(unknown).fill(-1));
  return Int16Array.from(Random.seeded(5).shuffle(labels));
}

function countsBySign(batch: Uint32Array, labels: Int16Array, classes: number): number[] {
  const counts = new Array<number>(classes).fill(0);
  for (const row of batch) counts[labels[row]!]!++;
  return counts;
}

describe('all-signs sampler', () => {
  it('fills every batch with each sign N times, in sign order, for clips // (signs x N) steps', () => {
    // The real dataset's size: 94,477 clips of 250 signs, N = 4.
    const perSign = Array.from({ length: 250 }, (_, s) => 300 + ((s * 37) % 160));
    const extra = 94_477 - perSign.reduce((a, b) => a + b, 0);
    perSign[0]! += extra;
    const labels = labelsWith(perSign, 120);
    for (const mode of ['with_replacement', 'cycle'] as const) {
      const sampler = createAllSignsSampler({ labels, classes: 250, perSign: 4, mode, seed: 42 });
      expect(sampler.batchSize).toBe(1000);
      expect(sampler.stepsPerEpoch).toBe(94);
      expect(sampler.emptySigns).toEqual([]);
      const batches = sampler.epoch(0);
      expect(batches).toHaveLength(94);
      for (const batch of batches.slice(0, 5)) {
        expect(batch).toHaveLength(1000);
        expect(Int16Array.from(batch, (row) => labels[row]!)).toEqual(sampler.batchLabels);
      }
      expect(Array.from(sampler.batchLabels.subarray(0, 9))).toEqual([0, 0, 0, 0, 1, 1, 1, 1, 2]);
    }
  });

  it('is a pure function of (seed, epoch)', () => {
    const labels = labelsWith([30, 40, 50]);
    const make = (seed: number) =>
      createAllSignsSampler({ labels, classes: 3, perSign: 4, mode: 'cycle', seed });
    expect(make(1).epoch(3)).toEqual(make(1).epoch(3));
    // Asking for epoch 3 does not depend on having drawn epochs 0..2 first.
    const warm = make(1);
    warm.epoch(0);
    warm.epoch(1);
    expect(warm.epoch(3)).toEqual(make(1).epoch(3));
    expect(make(1).epoch(4)).not.toEqual(make(1).epoch(3));
    expect(make(2).epoch(3)).not.toEqual(make(1).epoch(3));
  });

  it("'cycle' draws every row of a sign once before repeating any", () => {
    const labels = labelsWith([24, 36, 12]);
    const sampler = createAllSignsSampler({ labels, classes: 3, perSign: 3, mode: 'cycle', seed: 9 });
    expect(sampler.stepsPerEpoch).toBe(8);
    const drawn = sampler.epoch(0).flatMap((b) => [...b]);
    const bySign = [0, 1, 2].map((s) => drawn.filter((row) => labels[row] === s));
    // 8 steps x 3 = 24 draws per sign: sign 0 exactly once each, sign 2 (12 rows) exactly twice each.
    expect(new Set(bySign[0]).size).toBe(24);
    expect(new Set(bySign[1]).size).toBe(24);
    expect(new Set(bySign[2]).size).toBe(12);
    expect(new Set(bySign[2]!.slice(0, 12)).size).toBe(12);
  });

  it("'with_replacement' draws uniformly, like np.random.choice(idxs, N)", () => {
    const labels = labelsWith([10, 10]);
    const sampler = createAllSignsSampler({
      labels,
      classes: 2,
      perSign: 5,
      mode: 'with_replacement',
      seed: 3,
    });
    const hits = new Map<number, number>();
    for (let e = 0; e < 400; e++)
      for (const b of sampler.epoch(e)) for (const row of b) hits.set(row, (hits.get(row) ?? 0) + 1);
    expect(hits.size).toBe(20);
    // 400 epochs x 2 steps x 5 draws / 10 rows = 400 expected per row.
    for (const n of hits.values()) expect(Math.abs(n - 400)).toBeLessThan(80);
    // One epoch does not see every row (that is what 'cycle' fixes).
    expect(new Set(sampler.epoch(0).flatMap((b) => [...b])).size).toBeLessThan(20);
  });

  it('repeats rows of a sign with fewer clips than N', () => {
    const labels = labelsWith([8, 2]);
    for (const mode of ['with_replacement', 'cycle'] as const) {
      const sampler = createAllSignsSampler({ labels, classes: 2, perSign: 4, mode, seed: 1 });
      const batch = sampler.epoch(0)[0]!;
      expect(countsBySign(batch, labels, 2)).toEqual([4, 4]);
      expect(new Set(batch.subarray(4)).size).toBeLessThanOrEqual(2);
    }
  });

  it('samples only the given rows (e.g. the training signers) and skips unknown signs', () => {
    const labels = labelsWith([20, 20, 20], 15);
    const rows = Uint32Array.from({ length: labels.length }, (_, i) => i).filter((r) => r % 3 !== 0);
    const allowed = new Set(rows);
    const sampler = createAllSignsSampler({ labels, rows, classes: 3, perSign: 2, mode: 'cycle', seed: 4 });
    const labelled = [...rows].filter((r) => labels[r]! >= 0).length;
    expect(sampler.stepsPerEpoch).toBe(Math.floor(labelled / 6));
    for (const batch of sampler.epoch(0)) {
      for (const row of batch) {
        expect(allowed.has(row)).toBe(true);
        expect(labels[row]).toBeGreaterThanOrEqual(0);
      }
    }
  });

  it('leaves out signs without rows, and still runs one step on a tiny set', () => {
    const labels = Int16Array.from([0, 2, 2, 4]);
    const sampler = createAllSignsSampler({ labels, classes: 5, perSign: 4, mode: 'cycle', seed: 0 });
    expect(sampler.emptySigns).toEqual([1, 3]);
    expect(sampler.batchSize).toBe(12);
    expect(sampler.stepsPerEpoch).toBe(1);
    expect(Array.from(sampler.batchLabels)).toEqual([0, 0, 0, 0, 2, 2, 2, 2, 4, 4, 4, 4]);
  });

  it('refuses labels beyond the configured classes, rows outside the labels, and no labelled rows', () => {
    expect(() =>
      createAllSignsSampler({
        labels: Int16Array.from([0, 5]),
        classes: 5,
        perSign: 1,
        mode: 'cycle',
        seed: 0,
      }),
    ).toThrow(/label 5, but the config has 5 classes/);
    expect(() => rowsBySign(Int16Array.from([0, 1]), Uint32Array.from([2]), 2)).toThrow(
      /outside the 2 labels/,
    );
    expect(() =>
      createAllSignsSampler({
        labels: Int16Array.from([-1, -1]),
        classes: 2,
        perSign: 1,
        mode: 'cycle',
        seed: 0,
      }),
    ).toThrow(/no labelled rows/);
  });
});

describe('sequentialBatches', () => {
  it('walks the rows in order, the last batch shorter', () => {
    const rows = Uint32Array.from({ length: 1000 }, (_, i) => i * 2);
    const batches = sequentialBatches(rows, 256);
    expect(batches.map((b) => b.length)).toEqual([256, 256, 256, 232]);
    expect(Uint32Array.from(batches.flatMap((b) => [...b]))).toEqual(rows);
    expect(sequentialBatches(rows.subarray(0, 512), 256).map((b) => b.length)).toEqual([256, 256]);
    expect(sequentialBatches(new Uint32Array(0), 256)).toEqual([]);
    expect(() => sequentialBatches(rows, 0)).toThrow(RangeError);
  });
});
