import { describe, expect, it } from 'vitest';
import type { Dataset } from '../../../src/batch/data/dataset/open-dataset.ts';
import { mostFrequentSign, validationSplit } from '../../../src/batch/export/source/validation-split.ts';

/** The slice of a Dataset the split reads: rows with participants and labels (-1 = unlabeled). */
function fakeDataset(rows: readonly [participant: number, label: number][]): Dataset {
  const participantIds = Int32Array.from(rows.map((r) => r[0]));
  const labels = Int16Array.from(rows.map((r) => r[1]));
  return {
    dir: 'fake',
    signs: ['a', 'b', 'c'],
    participantIds,
    labels,
    rowsWhere: (include: (id: number) => boolean) =>
      Uint32Array.from(rows.flatMap((r, i) => (include(r[0]) ? [i] : []))),
    frames: (row: number) => new Float32Array(64 * 66 * 3).fill(row),
    nonEmptyFrameIdxs: (row: number) => new Float32Array(64).fill(row),
  } as unknown as Dataset;
}

describe('validationSplit', () => {
  // Participant 9 is held out; among the others 'b' is most frequent, among everyone 'c' is.
  const ds = fakeDataset([
    [1, 1],
    [1, 1],
    [2, 0],
    [2, 1],
    [2, -1],
    [9, 2],
    [9, 2],
    [9, 2],
    [9, 2],
    [9, -1],
  ]);

  it("evaluates the held-out signers' labeled rows; the fallback comes from the others", () => {
    const split = validationSplit(ds, [9]);
    expect(split.clips.count).toBe(4);
    expect([0, 1, 2, 3].map((i) => split.clips.label(i))).toEqual([2, 2, 2, 2]);
    expect(split.clips.frames(0)[0]).toBe(5);
    expect(split.fallbackSign).toBe('b');
  });

  it('without held-out signers evaluates every labeled row', () => {
    const split = validationSplit(ds, undefined);
    expect(split.clips.count).toBe(8);
    expect(split.fallbackSign).toBe('c');
  });

  it('breaks a tie by the lower sign index', () => {
    const tie = fakeDataset([
      [1, 2],
      [1, 1],
    ]);
    expect(mostFrequentSign(tie, Uint32Array.from([0, 1]))).toBe('b');
  });
});
