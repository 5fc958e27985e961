import { describe, expect, it } from 'vitest';
import type { TrainRow } from '../../../src/batch/data/kaggle/read-train-csv.ts';
import { planShards, shardName } from '../../../src/batch/preprocess/shard-plan.ts';

const signs = ['a', 'b', 'c'];
const rows: TrainRow[] = Array.from({ length: 7 }, (_, i) => ({
  path: `train_landmark_files/1/${i}.parquet`,
  participantId: 1 + (i % 2),
  sequenceId: 5_000_000_000 + i,
  sign: [null, 'a', 'b', 'c', 'zzz', 'a', 'b'][i]!,
}));

describe('planShards', () => {
  it('cuts train.csv into fixed chunks and resolves labels', () => {
    const plans = planShards(rows, signs, { dataDir: '/data', shardSize: 3 });
    expect(plans.map((p) => [p.name, p.files.length])).toEqual([
      ['shard-00000', 3],
      ['shard-00001', 3],
      ['shard-00002', 1],
    ]);
    const files = plans.flatMap((p) => p.files);
    expect(files.map((f) => f.label)).toEqual([-1, 0, 1, 2, -1, 0, 1]);
    expect(files.map((f) => f.unknownSign)).toEqual([null, null, null, null, 'zzz', null, null]);
    expect(files[2]!.file).toBe('/data/train_landmark_files/1/2.parquet');
    expect(shardName(123456)).toBe('shard-123456');
  });

  it('fingerprints a chunk by everything that decides its shard', () => {
    const base = planShards(rows, signs, { dataDir: '/data', shardSize: 3 });
    const same = planShards(rows.slice(0, 6), signs, { dataDir: '/data', shardSize: 3 });
    expect(same.map((p) => p.fingerprint)).toEqual(base.slice(0, 2).map((p) => p.fingerprint));
    const otherDir = planShards(rows, signs, { dataDir: '/elsewhere', shardSize: 3 });
    const otherMap = planShards(rows, ['b', 'a', 'c'], { dataDir: '/data', shardSize: 3 });
    const otherSize = planShards(rows, signs, { dataDir: '/data', shardSize: 2 });
    expect(otherDir[0]!.fingerprint).not.toBe(base[0]!.fingerprint);
    expect(otherMap[0]!.fingerprint).not.toBe(base[0]!.fingerprint);
    expect(otherSize[0]!.fingerprint).not.toBe(base[0]!.fingerprint);
    expect(new Set(base.map((p) => p.fingerprint)).size).toBe(3);
  });

  it('refuses a shard size below 1', () => {
    expect(() => planShards(rows, signs, { dataDir: '/d', shardSize: 0 })).toThrow(RangeError);
  });
});
