import { describe, expect, it } from 'vitest';
import { Random, isRandomState } from '../../../src/batch/random/random.ts';

describe('Random (xoshiro128**)', () => {
  it('matches the reference C implementation', () => {
    // From Blackman & Vigna's xoshiro128starstar.c compiled with gcc.
    const a = Random.fromState([1, 2, 3, 4]);
    expect(Array.from({ length: 6 }, () => a.nextUint32())).toEqual([
      11520, 0, 5927040, 70819200, 2031721883, 1637235492,
    ]);
    const b = Random.fromState([0x12345678, 0x9abcdef0, 0xdeadbeef, 0x0badf00d]);
    expect(Array.from({ length: 6 }, () => b.nextUint32())).toEqual([
      2576881682, 1162350735, 808537200, 2062165408, 3804998253, 141604735,
    ]);
    expect(b.state()).toEqual([1619614410, 4198386064, 1546916546, 2955825671]);
  });

  it('continues a stream exactly from a saved state (as JSON)', () => {
    const rng = Random.seeded(42, 'dropout');
    for (let i = 0; i < 37; i++) rng.nextUint32();
    const saved = JSON.parse(JSON.stringify(rng.state())) as unknown;
    const resumed = Random.fromState(saved);
    expect(Array.from({ length: 10 }, () => resumed.nextUint32())).toEqual(
      Array.from({ length: 10 }, () => rng.nextUint32()),
    );
  });

  it('keeps the keyed streams models/demo was initialised and trained with', () => {
    // Recorded before the generator moved out of train/: a change here changes every run's numbers.
    const init = Random.seeded(42, 'init', 'head/classifier/kernel');
    expect(Array.from({ length: 4 }, () => init.nextUint32())).toEqual([
      2191367265, 1310531140, 422326090, 911999358,
    ]);
  });

  it('keys streams by seed and labels', () => {
    const first = (r: Random): number[] => Array.from({ length: 4 }, () => r.nextUint32());
    expect(first(Random.seeded(42, 'sampler', 3))).toEqual(first(Random.seeded(42, 'sampler', 3)));
    const variants = [
      Random.seeded(42, 'sampler', 3),
      Random.seeded(42, 'sampler', 4),
      Random.seeded(43, 'sampler', 3),
      Random.seeded(42, 'sampler3'),
      Random.seeded(42, 'sampl', 'er', 3),
      Random.seeded(42),
    ].map((r) => first(r).join());
    expect(new Set(variants).size).toBe(variants.length);
  });

  it('draws uniform integers below n without bias, and floats in [0, 1)', () => {
    const rng = Random.seeded(7);
    const counts = new Array<number>(10).fill(0);
    const draws = 100_000;
    for (let i = 0; i < draws; i++) counts[rng.below(10)]!++;
    // Chi-square with 9 degrees of freedom: 27.9 is the 0.999 quantile.
    const chi2 = counts.reduce((s, c) => s + (c - draws / 10) ** 2 / (draws / 10), 0);
    expect(chi2).toBeLessThan(27.9);
    expect(rng.below(1)).toBe(0);
    for (let i = 0; i < 1000; i++) {
      const x = rng.nextFloat();
      expect(x >= 0 && x < 1).toBe(true);
    }
    expect(() => rng.below(0)).toThrow(RangeError);
    expect(() => rng.below(2.5)).toThrow(RangeError);
  });

  it('shuffles into a permutation, differently per stream', () => {
    const items = Uint32Array.from({ length: 50 }, (_, i) => i);
    const a = Random.seeded(1).shuffle(items.slice());
    const b = Random.seeded(2).shuffle(items.slice());
    expect([...a].sort((x, y) => x - y)).toEqual([...items]);
    expect([...a]).not.toEqual([...items]);
    expect([...a]).not.toEqual([...b]);
  });

  it('refuses states that are not four uint32 words, or all zero', () => {
    for (const bad of [[0, 0, 0, 0], [1, 2, 3], [1, 2, 3, -1], [1, 2, 3, 2 ** 32], [1, 2, 3, 0.5], 'x']) {
      expect(isRandomState(bad)).toBe(false);
      expect(() => Random.fromState(bad)).toThrow(RangeError);
    }
    expect(() => Random.seeded(-1)).toThrow(RangeError);
    expect(() => Random.seeded(1, -3)).toThrow(RangeError);
  });
});
