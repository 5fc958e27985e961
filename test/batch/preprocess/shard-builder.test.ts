import { describe, expect, it } from 'vitest';
import { FRAME_VALUES, IDX_VALUES } from '../../../src/shared/bundle/model-contract.ts';
import { ShardBuilder } from '../../../src/batch/preprocess/shard-builder.ts';
import { planShards } from '../../../src/batch/preprocess/shard-plan.ts';
import { StatsAccumulator } from '../../../src/shared/preprocess/stats-accumulator.ts';

const plan = planShards(
  Array.from({ length: 4 }, (_, i) => ({
    path: `p${i}`,
    participantId: 10 + (i % 2),
    sequenceId: 100 + i,
    sign: 'x',
  })),
  ['x'],
  { dataDir: '/d', shardSize: 4 },
)[0]!;

function inputs(seed: number) {
  return {
    frames: Float32Array.from({ length: FRAME_VALUES }, (_, i) => ((i * 7 + seed) % 13) / 13),
    nonEmptyFrameIdxs: Float32Array.from({ length: IDX_VALUES }, (_, i) => i + seed),
  };
}

describe('ShardBuilder', () => {
  it('keeps train.csv order whatever the arrival order, and squeezes out rejects', () => {
    const builder = new ShardBuilder(plan);
    builder.accept(3, inputs(3).frames, inputs(3).nonEmptyFrameIdxs);
    builder.reject(1, 'corrupt', 'p1: bad');
    expect(builder.complete).toBe(false);
    expect(() => builder.build()).toThrow(/2 files still pending/);
    builder.accept(0, inputs(0).frames, inputs(0).nonEmptyFrameIdxs);
    builder.accept(2, inputs(2).frames, inputs(2).nonEmptyFrameIdxs);
    expect(builder.complete).toBe(true);
    const { columns, rejects, participantStats } = builder.build();
    expect(columns.length).toBe(3);
    expect([...columns.sequenceId]).toEqual([100n, 102n, 103n]);
    expect([...columns.participantId]).toEqual([10, 10, 11]);
    expect(columns.frames.subarray(FRAME_VALUES, 2 * FRAME_VALUES)).toEqual(inputs(2).frames);
    expect(columns.nonEmptyFrameIdxs.subarray(2 * IDX_VALUES)).toEqual(inputs(3).nonEmptyFrameIdxs);
    expect(rejects).toEqual([{ path: 'p1', code: 'corrupt', message: 'p1: bad' }]);
    const expected10 = new StatsAccumulator();
    expected10.add(inputs(0));
    expected10.add(inputs(2));
    expect(participantStats.get(10)!.toJSON()).toEqual(expected10.toJSON());
    expect(participantStats.get(11)!.toJSON().clips).toBe(1);
  });

  it('refuses a slot settled twice or of the wrong size', () => {
    const builder = new ShardBuilder(plan);
    builder.reject(0, 'corrupt', 'x');
    expect(() => builder.accept(0, inputs(0).frames, inputs(0).nonEmptyFrameIdxs)).toThrow(/settled twice/);
    expect(() => builder.reject(9, 'corrupt', 'x')).toThrow(/out of range/);
    expect(() => builder.accept(1, new Float32Array(3), new Float32Array(IDX_VALUES))).toThrow(RangeError);
  });
});
