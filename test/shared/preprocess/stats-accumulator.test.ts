import { describe, expect, it } from 'vitest';
import { readLandmarkParquet } from '../../../src/shared/landmarks/read-parquet.ts';
import { PREPROCESS_VERSION } from '../../../src/shared/preprocess/constants.ts';
import { StatsError, type StatsErrorCode } from '../../../src/shared/preprocess/stats-error.ts';
import type { ModelInputs } from '../../../src/shared/preprocess/model-inputs.ts';
import { neutralStats } from '../../../src/shared/preprocess/neutral-stats.ts';
import { preprocessClip } from '../../../src/shared/preprocess/preprocess-clip.ts';
import { StatsAccumulator } from '../../../src/shared/preprocess/stats-accumulator.ts';
import { validateStats } from '../../../src/shared/preprocess/validate-stats.ts';
import { hasRealData, readRealFile, realParquetPaths } from '../real-files.ts';

function inputsWith(
  values: readonly [t: number, point: number, coord: number, value: number][],
): ModelInputs {
  const frames = new Float32Array(64 * 66 * 3);
  for (const [t, point, coord, value] of values) frames[(t * 66 + point) * 3 + coord] = value;
  return { frames, nonEmptyFrameIdxs: new Float32Array(64).fill(-1) };
}

// Clip A: lips point 0 x = 1, 2, 3; hand point 0 (model 40) y = 0.5 three times; pose point 4 x = 0.25.
const A = inputsWith([
  [0, 0, 0, 1],
  [1, 0, 0, 2],
  [2, 0, 0, 3],
  [0, 40, 1, 0.5],
  [1, 40, 1, 0.5],
  [2, 40, 1, 0.5],
  [0, 65, 0, 0.25],
  [5, 65, 2, 9], // z is never part of the statistics
]);
// Clip B: lips point 0 x = 6; pose point 4 x = 0.75.
const B = inputsWith([
  [10, 0, 0, 6],
  [63, 65, 0, 0.75],
]);

function expectStatsError(run: () => unknown, code: StatsErrorCode): void {
  let caught: unknown;
  try {
    run();
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(StatsError);
  expect((caught as StatsError).code).toBe(code);
}

describe('StatsAccumulator', () => {
  it('leaves out values no real clip can produce, so one bad clip cannot move every statistic', () => {
    const clean = new StatsAccumulator();
    clean.add(A);
    clean.add(B);
    const poisoned = new StatsAccumulator();
    poisoned.add(A);
    // What x = 1e19 in every row became before the readers refused it: 4.5e28 means across the board.
    poisoned.add(
      inputsWith(Array.from({ length: 64 * 66 }, (_, i) => [i % 64, Math.floor(i / 64), 0, 1e19] as const)),
    );
    poisoned.add(
      inputsWith([
        [0, 3, 1, -3e38],
        [1, 3, 0, Infinity],
        [2, 3, 1, NaN],
      ]),
    );
    poisoned.add(B);
    const stats = poisoned.finish();
    expect(stats.groups).toEqual(clean.finish().groups);
    // Mirrored x (1 - x) of a coordinate at the limit still counts.
    const edge = new StatsAccumulator();
    edge.add(inputsWith([[0, 0, 0, -9.9]]));
    expect(edge.finish().groups.lips.mean[0]![0]).toBeCloseTo(-9.9, 5);
  });

  it('mean and population std over non-zero values; unseen -> mean 0, std 1; constant -> std 1', () => {
    const acc = new StatsAccumulator();
    acc.add(A);
    acc.add(B);
    const stats = acc.finish();
    expect(stats.clips).toBe(2);
    expect(stats.preprocessVersion).toBe(PREPROCESS_VERSION);
    // lips 0 x: 1, 2, 3, 6 -> mean 3, variance (4 + 1 + 0 + 9) / 4 = 3.5; y never non-zero
    expect(stats.groups.lips.mean[0]).toEqual([3, 0]);
    expect(stats.groups.lips.std[0]![0]).toBeCloseTo(Math.sqrt(3.5), 12);
    expect(stats.groups.lips.std[0]![1]).toBe(1);
    // hand 0 y: 0.5 three times -> no spread
    expect(stats.groups.hand.mean[0]).toEqual([0, 0.5]);
    expect(stats.groups.hand.std[0]).toEqual([1, 1]);
    // pose 4 x: 0.25, 0.75 -> mean 0.5, std 0.25
    expect(stats.groups.pose.mean[4]).toEqual([0.5, 0]);
    expect(stats.groups.pose.std[4]).toEqual([0.25, 1]);
    // everything else untouched
    expect(stats.groups.lips.mean[1]).toEqual([0, 0]);
    expect(stats.groups.pose.std[3]).toEqual([1, 1]);
    expect(stats.groups.lips.mean).toHaveLength(40);
    expect(stats.groups.hand.std).toHaveLength(21);
    expect(stats.groups.pose.mean).toHaveLength(5);
  });

  it('an empty accumulator gives the neutral statistics', () => {
    expect(new StatsAccumulator().finish()).toEqual(neutralStats());
  });

  it('merging, also through JSON, equals accumulating everything in one', () => {
    const whole = new StatsAccumulator();
    whole.add(A);
    whole.add(B);
    const left = new StatsAccumulator();
    left.add(A);
    const right = new StatsAccumulator();
    right.add(B);
    const restored = StatsAccumulator.fromJSON(JSON.parse(JSON.stringify(right.toJSON())));
    left.merge(restored);
    left.merge(new StatsAccumulator()); // merging nothing changes nothing
    expect(left.finish()).toEqual(whole.finish());
  });

  it.skipIf(!hasRealData)(
    'matches a two-pass computation over the real files, and merges halves exactly',
    async () => {
      const all = await Promise.all(
        realParquetPaths().map(async (p) => preprocessClip(await readLandmarkParquet(readRealFile(p), p))),
      );
      const whole = new StatsAccumulator();
      const first = new StatsAccumulator();
      const second = new StatsAccumulator();
      all.forEach((inputs, i) => {
        whole.add(inputs);
        (i < 25 ? first : second).add(inputs);
      });
      first.merge(second);
      const stats = whole.finish();
      const merged = first.finish();

      const groups = [
        ['lips', 0, 40],
        ['hand', 40, 21],
        ['pose', 61, 5],
      ] as const;
      for (const [name, start, count] of groups) {
        for (let i = 0; i < count; i++) {
          for (let c = 0; c < 2; c++) {
            const values: number[] = [];
            for (const { frames } of all) {
              for (let t = 0; t < 64; t++) {
                const v = frames[(t * 66 + start + i) * 3 + c]!;
                if (v !== 0) values.push(v);
              }
            }
            expect(values.length).toBeGreaterThan(1);
            const mean = values.reduce((a, b) => a + b, 0) / values.length;
            const std = Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / values.length);
            expect(stats.groups[name].mean[i]![c]).toBeCloseTo(mean, 10);
            expect(stats.groups[name].std[i]![c]).toBeCloseTo(std, 10);
            expect(merged.groups[name].mean[i]![c]).toBeCloseTo(mean, 10);
            expect(merged.groups[name].std[i]![c]).toBeCloseTo(std, 10);
          }
        }
      }
      expect(stats.clips).toBe(50);
      expect(validateStats(JSON.parse(JSON.stringify(stats)))).toEqual(stats);
    },
  );

  it('fromJSON refuses states that are not its own', () => {
    const state = new StatsAccumulator().toJSON();
    expectStatsError(() => StatsAccumulator.fromJSON(null), 'invalid_stats');
    expectStatsError(
      () => StatsAccumulator.fromJSON({ ...state, preprocessVersion: 'other' }),
      'version_mismatch',
    );
    expectStatsError(
      () => StatsAccumulator.fromJSON({ ...state, count: state.count.slice(1) }),
      'invalid_stats',
    );
    expectStatsError(
      () => StatsAccumulator.fromJSON({ ...state, m2: state.m2.map(() => -1) }),
      'invalid_stats',
    );
    expectStatsError(() => StatsAccumulator.fromJSON({ ...state, clips: 1.5 }), 'invalid_stats');
  });

  it('add refuses inputs of the wrong size', () => {
    expect(() =>
      new StatsAccumulator().add({ frames: new Float32Array(10), nonEmptyFrameIdxs: new Float32Array(64) }),
    ).toThrow(RangeError);
  });
});

describe('validateStats', () => {
  it('accepts the neutral statistics, refuses wrong versions and shapes', () => {
    const neutral = neutralStats();
    expect(validateStats(JSON.parse(JSON.stringify(neutral)))).toEqual(neutral);
    expectStatsError(() => validateStats('stats'), 'invalid_stats');
    expectStatsError(
      () => validateStats({ ...neutral, preprocessVersion: 'baseline-66x64-v0' }),
      'version_mismatch',
    );
    expectStatsError(() => validateStats({ ...neutral, clips: -1 }), 'invalid_stats');
    const { lips, hand, pose } = neutral.groups;
    const withGroups = (groups: object): unknown => ({ ...neutral, groups });
    expectStatsError(() => validateStats(withGroups({ lips, hand })), 'invalid_stats');
    expectStatsError(
      () => validateStats(withGroups({ lips: { ...lips, mean: lips.mean.slice(1) }, hand, pose })),
      'invalid_stats',
    );
    const zeroStd = { ...hand, std: hand.std.map((_, i) => (i === 3 ? [1, 0] : [1, 1])) };
    expectStatsError(() => validateStats(withGroups({ lips, hand: zeroStd, pose })), 'invalid_stats');
    const nullMean = { ...pose, mean: pose.mean.map((_, i) => (i === 0 ? [null, 0] : [0, 0])) };
    expectStatsError(() => validateStats(withGroups({ lips, hand, pose: nullMean })), 'invalid_stats');
  });
});
