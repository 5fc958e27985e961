import { describe, expect, it } from 'vitest';
import { classificationReport } from '../../../../src/batch/train/metrics/classification-report.ts';
import { confusedPairs } from '../../../../src/batch/train/metrics/confused-pairs.ts';
import { ConfusionMatrix } from '../../../../src/batch/train/metrics/confusion-matrix.ts';
import { argmax, labelRank } from '../../../../src/batch/train/metrics/label-rank.ts';
import {
  landmarkWeightPercentages,
  landmarkWeightsParameter,
} from '../../../../src/batch/train/metrics/landmark-weights.ts';
import { softmaxHistogram } from '../../../../src/batch/train/metrics/softmax-histogram.ts';
import { MetricsAccumulator } from '../../../../src/batch/train/metrics/split-metrics.ts';

describe('top-k accuracy', () => {
  it('ranks the label among the scores, ties in its favour, argmax taking the first maximum', () => {
    const row = Float32Array.from([0.1, 0.5, 0.2, 0.5, 0.0]);
    expect(labelRank(row, 0, 5, 1)).toBe(0);
    expect(labelRank(row, 0, 5, 3)).toBe(0);
    expect(labelRank(row, 0, 5, 2)).toBe(2);
    expect(labelRank(row, 0, 5, 4)).toBe(4);
    expect(argmax(row, 0, 5)).toBe(1);
  });

  it('accumulates loss weighted by batch size and counts top-1/5/10 over rows', () => {
    const classes = 12;
    // Row i scores class c as (c + i) mod 12, so the top class is 11 - i and label L has rank (11 - (L+i) mod 12).
    const rows = 4;
    const scores = new Float32Array(rows * classes);
    for (let i = 0; i < rows; i++)
      for (let c = 0; c < classes; c++) scores[i * classes + c] = (c + i) % classes;
    const labels = [11, 9, 4, 0]; // ranks 0, 2, 6 (in top 10 only), 8 (in top 10 only)
    const acc = new MetricsAccumulator();
    expect(acc.addBatch(2.0, scores, labels, classes)).toBe(1);
    acc.addBatch(1.0, scores.subarray(0, classes), [5], classes); // rank 6
    const m = acc.summary();
    expect(m.samples).toBe(5);
    expect(m.loss).toBeCloseTo((2 * 4 + 1) / 5, 12);
    expect(m.accuracy).toBeCloseTo(1 / 5, 12);
    expect(m.top5).toBeCloseTo(2 / 5, 12);
    expect(m.top10).toBeCloseTo(5 / 5, 12);
    expect(MetricsAccumulator.from(acc.sums()).summary()).toEqual(m);
    expect(Number.isNaN(new MetricsAccumulator().summary().loss)).toBe(true);
  });
});

describe('classification report', () => {
  // truth a: 3 clips -> a a b; truth b: 2 clips -> b c; truth c: 1 clip -> c; d: none.
  const signs = ['a', 'b', 'c', 'd'];
  const m = new ConfusionMatrix(4);
  for (const [t, p] of [
    [0, 0],
    [0, 0],
    [0, 1],
    [1, 1],
    [1, 2],
    [2, 2],
  ] as const)
    m.add(t, p);

  it('gives scikit-learn precision, recall, F1 and support, sorted by F1', () => {
    const r = classificationReport(m, signs);
    // a: P 2/2, R 2/3, F1 0.8; b: P 1/2, R 1/2, F1 0.5; c: P 1/2, R 1, F1 2/3.
    expect(r.signs.map((s) => s.sign)).toEqual(['a', 'c', 'b']);
    const a = r.signs[0]!;
    expect([a.precision, a.recall, a.f1, a.support]).toEqual([1, 2 / 3, 0.8, 3]);
    expect(r.signs[1]!.f1).toBeCloseTo(2 / 3, 12);
    expect(r.accuracy).toBeCloseTo(4 / 6, 12);
    expect(r.macro.f1).toBeCloseTo((0.8 + 0.5 + 2 / 3) / 3, 12);
    expect(r.weighted.recall).toBeCloseTo(4 / 6, 12);
    expect(r.unsupported).toEqual(['d']);
  });

  it('lists the most confused pairs and round-trips the matrix through its sparse form', () => {
    m.add(1, 2);
    const pairs = confusedPairs(m, signs, 5);
    expect(pairs[0]).toEqual({ truth: 'b', predicted: 'c', count: 2, rate: 2 / 3 });
    expect(pairs[1]).toEqual({ truth: 'a', predicted: 'b', count: 1, rate: 1 / 3 });
    expect(pairs).toHaveLength(2);
    expect(ConfusionMatrix.fromSparse(4, m.toSparse()).counts).toEqual(m.counts);
    expect(m.total).toBe(7);
  });
});

describe('softmax histogram and landmark weights', () => {
  it('bins softmax outputs on a log scale around 1/classes', () => {
    const p = Float32Array.from({ length: 1000 }, (_, i) => (i % 2 === 0 ? 0.0045 : 0.0046));
    const h = softmaxHistogram(p, 250, 20);
    expect(h.chance).toBe(1 / 250);
    expect(h.counts.reduce((a, b) => a + b, 0)).toBe(1000);
    expect(h.nearChance).toBe(1);
    expect(h.edges).toHaveLength(21);
    expect(h.edges[0]!).toBeLessThanOrEqual(h.chance / 10 + 1e-12);
    const bin = h.counts.findIndex((c) => c > 0);
    expect(h.edges[bin]!).toBeLessThanOrEqual(0.0045);
    expect(h.edges[bin + 1]!).toBeGreaterThan(0.0046);
    const spread = softmaxHistogram(Float32Array.from([1e-6, 0.5]), 250, 10);
    expect(spread.nearChance).toBe(0);
    expect(spread.counts[0]).toBe(1);
    expect(spread.counts[9]).toBe(1);
  });

  it('turns the landmark-weights parameter into percentages per group', () => {
    expect(landmarkWeightPercentages(new Float32Array(3))).toEqual({
      lips: 100 / 3,
      hand: 100 / 3,
      pose: 100 / 3,
    });
    const w = landmarkWeightPercentages(Float32Array.from([0, Math.log(2), Math.log(5)]));
    expect(w.lips).toBeCloseTo(12.5, 5);
    expect(w.hand).toBeCloseTo(25, 5);
    expect(w.pose).toBeCloseTo(62.5, 5);
    expect(landmarkWeightsParameter(['x/kernel', 'embedding/landmark_fusion/landmark_weights'])).toBe(
      'embedding/landmark_fusion/landmark_weights',
    );
    expect(landmarkWeightsParameter(['x/kernel'])).toBeUndefined();
  });
});
