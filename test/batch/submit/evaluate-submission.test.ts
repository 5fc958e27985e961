import { describe, expect, it } from 'vitest';
import type { ClipOutcome } from '../../../src/batch/submit/clip-outcome.ts';
import { evaluate } from '../../../src/batch/submit/evaluate-submission.ts';

const SIGNS = ['a', 'b', 'c', 'd', 'e', 'f'];
const scored = (...top: number[]): ClipOutcome => ({ ok: true, top, probs: top.map(() => 0) });
const failed: ClipOutcome = { ok: false, code: 'corrupt', message: 'x' };

describe('evaluate', () => {
  it('scores a failed clip with the fallback, and computes per-sign precision, recall and F1', () => {
    const outcomes = [
      scored(0, 1),
      scored(0, 1),
      scored(1, 0),
      failed,
      scored(2, 1, 3, 4, 5),
      scored(3, 0),
      scored(1),
    ];
    const labels = ['a', 'b', 'b', 'c', 'f', 'zz', null];
    const e = evaluate(outcomes, labels, SIGNS, 'c');
    expect(e.clips).toBe(6);
    expect(e.failed).toBe(1);
    expect(e.unknownLabels).toBe(1);
    // Hits: clip 0 (a), clip 2 (b), clip 3 (fallback c = label c).
    expect(e.accuracy).toBe(3 / 6);
    // Top-5 adds clip 1 (b in its top) and clip 4 (f fifth).
    expect(e.top5).toBe(5 / 6);
    const bySign = Object.fromEntries(e.perSign.map((r) => [r.sign, r]));
    expect(Object.keys(bySign)).toEqual(['a', 'b', 'c', 'd', 'f', 'zz']);
    expect(bySign['a']).toEqual({
      sign: 'a',
      precision: 0.5,
      recall: 1,
      f1: 2 / 3,
      support: 1,
      predicted: 2,
    });
    expect(bySign['b']).toEqual({
      sign: 'b',
      precision: 1,
      recall: 0.5,
      f1: 2 / 3,
      support: 2,
      predicted: 1,
    });
    expect(bySign['c']).toEqual({
      sign: 'c',
      precision: 0.5,
      recall: 1,
      f1: 2 / 3,
      support: 1,
      predicted: 2,
    });
    expect(bySign['d']).toEqual({ sign: 'd', precision: 0, recall: 0, f1: 0, support: 0, predicted: 1 });
    expect(bySign['f']).toEqual({ sign: 'f', precision: 0, recall: 0, f1: 0, support: 1, predicted: 0 });
    expect(bySign['zz']!.support).toBe(1);
    // Macro F1 over the five signs with support: a, b, c at 2/3, f and zz at 0.
    expect(e.macroF1).toBeCloseTo(2 / 5, 12);
  });
});
