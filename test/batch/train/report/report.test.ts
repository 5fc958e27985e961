import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { serializeConfig } from '../../../../src/batch/model/config/serialize-config.ts';
import { resolveConfig } from '../../../../src/batch/model/config/resolve-config.ts';
import { appendEpochRecord } from '../../../../src/batch/train/logging/metrics-jsonl.ts';
import type { BestEvaluation } from '../../../../src/batch/train/loop/best-model.ts';
import type { InitialCheck } from '../../../../src/batch/train/loop/initial-check.ts';
import { classificationReport } from '../../../../src/batch/train/metrics/classification-report.ts';
import { confusedPairs } from '../../../../src/batch/train/metrics/confused-pairs.ts';
import { ConfusionMatrix } from '../../../../src/batch/train/metrics/confusion-matrix.ts';
import type { EpochRecord } from '../../../../src/batch/train/metrics/epoch-record.ts';
import { softmaxHistogram } from '../../../../src/batch/train/metrics/softmax-histogram.ts';
import { writeReport } from '../../../../src/batch/train/report/write-report.ts';

const root = mkdtempSync(join(tmpdir(), 'signcast-report-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const signs = ['apple', 'bird', 'cat<&>', 'dog'];

function epoch(n: number): EpochRecord {
  const m = (x: number) => ({ loss: 3 - x / 2, accuracy: x / 5, top5: 1, top10: 1, samples: 40 });
  return {
    epoch: n,
    epochs: 4,
    step: n * 10,
    learningRate: 1e-3,
    weightDecay: 5e-5,
    train: m(n),
    val: m(n - 0.5),
    gradNorm: 1,
    landmarkWeights: { lips: 30 - n, hand: 40 + 2 * n, pose: 30 - n },
    trainSeconds: 1,
    valSeconds: 0.1,
    samplesPerSecond: 123.4,
    time: '2026-01-01T00:00:00.000Z',
  };
}

function makeRun(dir: string, epochs: number): void {
  mkdirSync(join(dir, 'best'), { recursive: true });
  writeFileSync(join(dir, 'config.json'), serializeConfig(resolveConfig('demo', ['classes=4', 'epochs=4'])));
  for (let n = 1; n <= epochs; n++) appendEpochRecord(join(dir, 'metrics.jsonl'), epoch(n));
  const probabilities = Float32Array.from({ length: 400 }, (_, i) => 0.25 * (1 + 0.3 * Math.sin(i)));
  const check: InitialCheck = {
    batch: 100,
    loss: 1.4,
    uniformLoss: Math.log(4),
    histogram: softmaxHistogram(probabilities, 4),
  };
  writeFileSync(join(dir, 'initial-check.json'), JSON.stringify(check));
  const confusion = new ConfusionMatrix(4);
  for (const [t, p, n] of [
    [0, 0, 9],
    [0, 1, 1],
    [1, 1, 5],
    [1, 2, 5],
    [2, 2, 10],
    [3, 0, 3],
  ] as const)
    for (let i = 0; i < n; i++) confusion.add(t, p);
  const best: BestEvaluation = {
    epoch: epochs,
    step: epochs * 10,
    metrics: epoch(epochs).val!,
    signs,
    confusion: confusion.toSparse(),
    report: classificationReport(confusion, signs),
    confusedPairs: confusedPairs(confusion, signs, 30),
  };
  writeFileSync(join(dir, 'best', 'evaluation.json'), JSON.stringify(best));
}

describe('report.html', () => {
  it('is one self-contained page with the Vega-Lite charts as inline SVG and the tables', async () => {
    const dir = join(root, 'full');
    makeRun(dir, 3);
    const html = readFileSync(await writeReport(dir), 'utf8');
    const svgs = html.match(/<svg[\s\S]*?<\/svg>/g) ?? [];
    // loss, accuracy, schedule, initial softmax histogram, landmark weights, F1 per sign
    expect(svgs).toHaveLength(6);
    for (const svg of svgs) expect(svg).toMatch(/<path|<rect|<line/);
    expect(html).not.toMatch(/<script|<link|<img|src=|url\(http/i);
    expect(html).toMatch(/Softmax outputs of the untrained model/);
    expect(html).toMatch(/1\/4/);
    expect(html).toMatch(/<b>hand<\/b> 46\.0%/);
    // Confused pairs, most first; sign names escaped.
    const pairs = html.slice(html.indexOf('Most confused'), html.indexOf('Per sign'));
    expect(pairs.indexOf('bird')).toBeLessThan(pairs.indexOf('dog'));
    expect(html).toContain('cat&#60;&#38;&#62;');
    expect(html).not.toContain('cat<&>');
    // Per-sign table sorted by F1: apple 0.818, cat 0.8, bird 0.625, dog 0.
    const perSign = html.slice(html.indexOf('Per sign'));
    expect(perSign).toContain('<td>apple</td><td>0.750</td><td>0.900</td><td>0.818</td><td>10</td>');
    const order = ['apple', 'cat&#60;', 'bird', 'dog'].map((s) => perSign.indexOf(s));
    expect(order.every((at) => at > 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
  });

  it('renders a run that has not finished an epoch yet', async () => {
    const dir = join(root, 'young');
    makeRun(dir, 0);
    rmSync(join(dir, 'best'), { recursive: true });
    const html = readFileSync(await writeReport(dir), 'utf8');
    expect(html).toMatch(/No epoch has finished yet/);
    expect(html.match(/<svg/g)).toHaveLength(2);
  });
});
