import { describe, expect, it } from 'vitest';
import { applyOverrides } from '../../../src/batch/model/config/apply-overrides.ts';
import { loadPreset } from '../../../src/batch/model/config/load-preset.ts';
import { epochHyperparameters, learningRate, trainingSchedule } from '../../../src/batch/train/schedule.ts';

const cosine = { lrMax: 1e-3, warmupEpochs: 0, epochs: 100, numCycles: 0.5, warmupMethod: 'log' } as const;

describe('learningRate (the baseline lrfn)', () => {
  it('is half a cosine from lr_max over the epochs without warm-up', () => {
    expect(learningRate(0, cosine)).toBe(1e-3);
    // 0.5 * (1 + cos(pi / 4))
    expect(learningRate(25, cosine)).toBeCloseTo(8.535533905932737e-4, 15);
    expect(learningRate(50, cosine)).toBeCloseTo(5e-4, 15);
    // 0.5 * (1 + cos(0.99 pi)): the last epoch stops one epoch short of zero.
    expect(learningRate(99, cosine)).toBeCloseTo(2.467198171342e-7, 16);
    expect(learningRate(100, cosine)).toBeCloseTo(0, 18);
  });

  it("warms up by 10x per epoch ('log') or 2x per epoch ('exp'), then cosines from the end of warm-up", () => {
    const log = { ...cosine, warmupEpochs: 5, epochs: 20 };
    expect(learningRate(0, log)).toBeCloseTo(1e-8, 20);
    expect(learningRate(4, log)).toBeCloseTo(1e-4, 18);
    expect(learningRate(5, log)).toBe(1e-3);
    // progress (10 - 5) / (20 - 5) = 1/3: 0.5 * (1 + cos(pi / 3)) = 0.75
    expect(learningRate(10, log)).toBeCloseTo(7.5e-4, 15);
    const exp = { ...log, warmupMethod: 'exp' } as const;
    expect(learningRate(0, exp)).toBe(1e-3 / 32);
    expect(learningRate(3, exp)).toBe(1e-3 / 4);
  });

  it('follows num_cycles: one full cycle comes back up after reaching zero at the middle', () => {
    const full = { ...cosine, numCycles: 1 };
    expect(learningRate(50, full)).toBeCloseTo(0, 18);
    expect(learningRate(75, full)).toBeCloseTo(5e-4, 15);
  });
});

describe('epoch hyperparameters', () => {
  it('sets weight decay to lr x weight_decay_ratio each epoch', () => {
    const train = loadPreset('baseline').train;
    expect(epochHyperparameters(train, 0)).toEqual({ epoch: 0, learningRate: 1e-3, weightDecay: 5e-5 });
    const schedule = trainingSchedule(train);
    expect(schedule).toHaveLength(100);
    for (const e of schedule) expect(e.weightDecay).toBeCloseTo(e.learningRate * 0.05, 18);
    expect(schedule[50]!.learningRate).toBeCloseTo(5e-4, 15);
  });

  it('reads warm-up and cycles from the config', () => {
    const train = applyOverrides(loadPreset('demo'), [
      'warmup_epochs=2',
      'warmup_method=exp',
      'epochs=10',
    ]).train;
    expect(trainingSchedule(train).map((e) => e.learningRate)).toEqual([
      learningRate(0, { ...cosine, warmupEpochs: 2, epochs: 10, warmupMethod: 'exp' }),
      5e-4,
      1e-3,
      ...[3, 4, 5, 6, 7, 8, 9].map((e) => 0.5 * (1 + Math.cos((Math.PI * (e - 2)) / 8)) * 1e-3),
    ]);
  });
});
