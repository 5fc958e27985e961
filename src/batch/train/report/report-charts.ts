/**
 * The report's charts as Vega-Lite specs, built from a run's data. Every spec carries its data inline
 * (no URLs), so it renders without network or files.
 */
import type { TopLevelSpec } from 'vega-lite';
import type { TrainConfig } from '../../model/config/config-schema.ts';
import type { EpochRecord } from '../metrics/epoch-record.ts';
import type { SoftmaxHistogram } from '../metrics/softmax-histogram.ts';
import type { SignScores } from '../metrics/classification-report.ts';
import { trainingSchedule } from '../schedule.ts';

const SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json';
const WIDTH = 520;
const HEIGHT = 220;

type Row = Record<string, string | number>;

export function lossChart(epochs: readonly EpochRecord[]): TopLevelSpec {
  const values: Row[] = epochs.flatMap((r) => [
    { epoch: r.epoch, split: 'train', loss: r.train.loss },
    ...(r.val ? [{ epoch: r.epoch, split: 'val', loss: r.val.loss }] : []),
  ]);
  return {
    $schema: SCHEMA,
    title: 'Loss (label-smoothed cross-entropy)',
    width: WIDTH,
    height: HEIGHT,
    data: { values },
    mark: { type: 'line', point: epochs.length < 40 },
    encoding: {
      x: { field: 'epoch', type: 'quantitative', axis: { tickMinStep: 1 } },
      y: { field: 'loss', type: 'quantitative', scale: { zero: false } },
      color: { field: 'split', type: 'nominal', scale: { domain: ['train', 'val'] } },
    },
  };
}

export function accuracyChart(epochs: readonly EpochRecord[]): TopLevelSpec {
  const values: Row[] = epochs.flatMap((r) =>
    [
      ['train', r.train],
      ['val', r.val],
    ].flatMap(([split, m]) =>
      m && typeof m === 'object'
        ? [
            { epoch: r.epoch, split: split as string, metric: 'top-1', accuracy: m.accuracy },
            { epoch: r.epoch, split: split as string, metric: 'top-5', accuracy: m.top5 },
            { epoch: r.epoch, split: split as string, metric: 'top-10', accuracy: m.top10 },
          ]
        : [],
    ),
  );
  return {
    $schema: SCHEMA,
    title: 'Accuracy: train (dashed) and validation (solid), top-1 / top-5 / top-10',
    width: WIDTH,
    height: HEIGHT,
    data: { values },
    mark: { type: 'line', point: epochs.length < 40 },
    encoding: {
      x: { field: 'epoch', type: 'quantitative', axis: { tickMinStep: 1 } },
      y: { field: 'accuracy', type: 'quantitative', scale: { domain: [0, 1] }, axis: { format: '%' } },
      color: { field: 'metric', type: 'nominal', scale: { domain: ['top-1', 'top-5', 'top-10'] } },
      strokeDash: {
        field: 'split',
        type: 'nominal',
        scale: { domain: ['val', 'train'] },
        legend: { symbolType: 'stroke', symbolStrokeColor: '#444', symbolStrokeWidth: 2 },
      },
      detail: { field: 'split' },
    },
  };
}

/** The whole planned schedule (the values each epoch runs with), not only the epochs done so far. */
export function scheduleChart(train: TrainConfig): TopLevelSpec {
  const values: Row[] = trainingSchedule(train).flatMap((h) => [
    { epoch: h.epoch + 1, quantity: 'learning rate', value: h.learningRate },
    { epoch: h.epoch + 1, quantity: 'weight decay', value: h.weightDecay },
  ]);
  return {
    $schema: SCHEMA,
    title: `Schedule: cosine from lr_max ${train.lr_max}, ${train.warmup_epochs} warm-up epochs, weight decay = lr x ${train.weight_decay_ratio}`,
    data: { values },
    facet: { column: { field: 'quantity', type: 'nominal', title: null } },
    spec: {
      width: WIDTH / 2 - 20,
      height: HEIGHT * 0.8,
      mark: { type: 'line', point: train.epochs <= 40 },
      encoding: {
        x: { field: 'epoch', type: 'quantitative', axis: { tickMinStep: 1 } },
        y: { field: 'value', type: 'quantitative', axis: { format: '.1e' }, title: null },
      },
    },
    resolve: { scale: { y: 'independent' } },
  };
}

export function softmaxHistogramChart(h: SoftmaxHistogram): TopLevelSpec {
  const values: Row[] = h.counts.map((count, i) => ({ from: h.edges[i]!, to: h.edges[i + 1]!, count }));
  return {
    $schema: SCHEMA,
    title: `Softmax outputs of the untrained model (${h.values.toLocaleString('en-US')} values) vs random guessing 1/${h.classes}`,
    width: WIDTH,
    height: HEIGHT,
    layer: [
      {
        data: { values },
        mark: { type: 'rect', tooltip: true },
        encoding: {
          x: {
            field: 'from',
            type: 'quantitative',
            scale: { type: 'log' },
            title: 'probability (log scale)',
            axis: { format: '.0e' },
          },
          x2: { field: 'to' },
          y: { field: 'count', type: 'quantitative', title: 'outputs' },
        },
      },
      {
        data: { values: [{ chance: h.chance, label: `1/${h.classes}` }] },
        mark: { type: 'rule', color: '#d62728', strokeWidth: 2, strokeDash: [4, 3] },
        encoding: { x: { field: 'chance', type: 'quantitative' } },
      },
      {
        data: { values: [{ chance: h.chance, label: `1/${h.classes}` }] },
        mark: { type: 'text', color: '#d62728', align: 'left', dx: 4, dy: -6, baseline: 'top' },
        encoding: { x: { field: 'chance', type: 'quantitative' }, y: { value: 0 }, text: { field: 'label' } },
      },
    ],
  };
}

/** Lips / hand / pose share of the landmark mix per epoch (softmax of the learned weights). */
export function landmarkWeightsChart(epochs: readonly EpochRecord[]): TopLevelSpec {
  const values: Row[] = epochs.flatMap((r) =>
    r.landmarkWeights
      ? Object.entries(r.landmarkWeights).map(([group, pct]) => ({ epoch: r.epoch, group, pct }))
      : [],
  );
  return {
    $schema: SCHEMA,
    title: 'Learned landmark weights (softmax, % of the mix)',
    width: WIDTH,
    height: HEIGHT * 0.8,
    data: { values },
    mark: { type: 'line', point: epochs.length < 40 },
    encoding: {
      x: { field: 'epoch', type: 'quantitative', axis: { tickMinStep: 1 } },
      y: { field: 'pct', type: 'quantitative', title: '%', scale: { zero: true } },
      color: { field: 'group', type: 'nominal', scale: { domain: ['lips', 'hand', 'pose'] } },
    },
  };
}

export function f1Chart(signs: readonly SignScores[]): TopLevelSpec {
  return {
    $schema: SCHEMA,
    title: `F1 per sign on the validation signers (${signs.length} signs)`,
    width: WIDTH,
    height: HEIGHT * 0.7,
    data: { values: signs.map((s) => ({ f1: s.f1 })) },
    mark: 'bar',
    encoding: {
      x: { field: 'f1', type: 'quantitative', bin: { extent: [0, 1], step: 0.05 }, title: 'F1' },
      y: { aggregate: 'count', type: 'quantitative', title: 'signs' },
    },
  };
}
