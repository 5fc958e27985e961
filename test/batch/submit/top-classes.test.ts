import { describe, expect, it } from 'vitest';
import { Random } from '../../../src/batch/random/random.ts';
import { topClasses } from '../../../src/batch/submit/top-classes.ts';

/** The reference: a stable descending sort of the whole row. */
function sortedTop(row: Float32Array, k: number): number[] {
  return Array.from(row.keys())
    .sort((a, b) => row[b]! - row[a]! || a - b)
    .slice(0, k);
}

describe('topClasses', () => {
  it('matches a stable descending sort, ties included, for every row of a batch', () => {
    const rng = Random.seeded(12345);
    const random = () => rng.nextFloat();
    const classes = 250;
    const rows = 20;
    // Coarse values make ties common.
    const probs = Float32Array.from({ length: rows * classes }, () => Math.round(random() * 40) / 40);
    for (const k of [1, 3, 5, 10, 250]) {
      for (let row = 0; row < rows; row++) {
        const slice = probs.subarray(row * classes, (row + 1) * classes);
        const { top, probs: p } = topClasses(probs, row, classes, k);
        expect(top).toEqual(sortedTop(slice, k));
        expect(p).toEqual(top.map((c) => slice[c]));
      }
    }
  });

  it('keeps at most the number of classes', () => {
    expect(topClasses(Float32Array.of(0.2, 0.5, 0.3), 0, 3, 5)).toEqual({
      top: [1, 2, 0],
      probs: [0.5, Math.fround(0.3), Math.fround(0.2)],
    });
  });
});
