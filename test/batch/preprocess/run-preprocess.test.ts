import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDataset } from '../../../src/batch/data/dataset/open-dataset.ts';
import type { Dataset } from '../../../src/batch/data/dataset/open-dataset.ts';
import { runPreprocess } from '../../../src/batch/preprocess/run-preprocess.ts';
import type { PreprocessSummary } from '../../../src/batch/preprocess/run-preprocess.ts';
import { readLandmarkParquet } from '../../../src/shared/landmarks/read-parquet.ts';
import { PREPROCESS_VERSION } from '../../../src/shared/preprocess/constants.ts';
import { preprocessClip } from '../../../src/shared/preprocess/preprocess-clip.ts';
import type { ModelInputs } from '../../../src/shared/preprocess/model-inputs.ts';
import { StatsAccumulator } from '../../../src/shared/preprocess/stats-accumulator.ts';
import type { NormalizationStats } from '../../../src/shared/preprocess/stats.ts';
import { validateStats } from '../../../src/shared/preprocess/validate-stats.ts';
import { hasRealData } from '../../shared/real-files.ts';
import { CORRUPT_PATH, makeRealDataDir, MISSING_PATH, UNKNOWN_SIGN_PATH } from './fixtures/real-data-dir.ts';

const root = mkdtempSync(join(tmpdir(), 'signcast-preprocess-'));
const dataDir = join(root, 'data');
const SHARD_SIZE = 8;
let listed = 0;
let summary: PreprocessSummary;
let dataset: Dataset;

/** train.csv rows in order, as the test reads them itself. */
let csvRows: { path: string; participant_id: string; sequence_id: string; sign: string }[];

beforeAll(async () => {
  listed = makeRealDataDir(dataDir).listed;
  csvRows = parse(readFileSync(join(dataDir, 'train.csv')), { columns: true });
  summary = await runPreprocess({ dataDir, outDir: join(root, 'full'), workers: 2, shardSize: SHARD_SIZE });
  dataset = openDataset(join(root, 'full'));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

function shardFiles(dir: string): string[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.arrow'))
    .sort();
}

describe.skipIf(!hasRealData)('runPreprocess on the real clips', () => {
  it('keeps every good file and rejects the bad ones with their reason', () => {
    expect(summary).toMatchObject({
      status: 'complete',
      listed,
      ok: listed - 3,
      rejected: 3,
      rejectsByCode: { corrupt: 1, file_missing: 1, unknown_sign: 1 },
      shards: Math.ceil(listed / SHARD_SIZE),
      shardsDone: Math.ceil(listed / SHARD_SIZE),
      shardsReused: 0,
      filesProcessed: listed,
    });
    const rejects = parse(readFileSync(join(root, 'full/rejects.csv')), { columns: true }) as {
      path: string;
      reason: string;
    }[];
    expect(rejects.map((r) => r.path)).toEqual([CORRUPT_PATH, MISSING_PATH, UNKNOWN_SIGN_PATH]);
    expect(rejects[0]!.reason).toMatch(/^corrupt: .*corrupt\/2044\/1\.parquet/);
    expect(rejects[1]!.reason).toMatch(/^file_missing: .*404\.parquet/);
    expect(rejects[2]!.reason).toMatch(/^unknown_sign: .*not-a-sign/);
  });

  it('writes rows equal to preprocessClip(readLandmarkParquet(file)), in train.csv order', async () => {
    const rejected = new Set([CORRUPT_PATH, MISSING_PATH]);
    const kept = csvRows.filter((r) => !rejected.has(r.path) && r.sign !== 'not-a-sign');
    expect(dataset.length).toBe(kept.length);
    const signs = JSON.parse(
      readFileSync(join(dataDir, 'sign_to_prediction_index_map.json'), 'utf8'),
    ) as Record<string, number>;
    for (const [i, row] of kept.entries()) {
      const file = join(dataDir, row.path);
      const expected = preprocessClip(await readLandmarkParquet(readFileSync(file), file));
      expect(dataset.sequenceIds[i]).toBe(BigInt(row.sequence_id));
      expect(dataset.participantIds[i]).toBe(Number(row.participant_id));
      expect(dataset.labels[i]).toBe(row.sign === '' ? -1 : signs[row.sign]);
      expect(dataset.frames(i)).toEqual(expected.frames);
      expect(dataset.nonEmptyFrameIdxs(i)).toEqual(expected.nonEmptyFrameIdxs);
    }
    expect(dataset.labels.filter((l) => l === -1)).toHaveLength(1);
    expect(dataset.manifest.counts).toEqual({
      listed,
      rows: kept.length,
      rejected: 3,
      labeled: kept.length - 1,
      unlabeled: 1,
      participants: 21,
    });
    expect(dataset.manifest.preprocessVersion).toBe(PREPROCESS_VERSION);
    expect(dataset.signs).toHaveLength(250);
    expect(dataset.signs[dataset.labels[0]!]).toBe(csvRows[0]!.sign);
    expect(dataset.manifest.shards.map((s) => s.file)).toEqual(shardFiles(join(root, 'full')));
  });

  it('writes valid statistics over the whole set, and per participant', () => {
    const stats = validateStats(JSON.parse(readFileSync(join(root, 'full/stats.json'), 'utf8')));
    expect(stats.clips).toBe(dataset.length);
    expectStatsClose(stats, accumulateRows(dataset, () => true).finish());
    expectStatsClose(dataset.stats, stats);

    const heldOut = new Set([2044, 4718, 16069]);
    const train = (id: number) => !heldOut.has(id);
    const trainRows = dataset.rowsWhere(train);
    expect(trainRows.length).toBe(dataset.participantIds.filter(train).length);
    expect([...trainRows].every((r) => train(dataset.participantIds[r]!))).toBe(true);
    const split = dataset.statsForParticipants(train);
    expect(split.clips).toBe(trainRows.length);
    expectStatsClose(split, accumulateRows(dataset, train).finish());
  });
});

describe.skipIf(!hasRealData)('interrupting and resuming', () => {
  it('keeps finished shards, redoes only the rest, and ends with the same shards', async () => {
    const out = join(root, 'resumed');
    const controller = new AbortController();
    const first = await runPreprocess({
      dataDir,
      outDir: out,
      workers: 2,
      shardSize: SHARD_SIZE,
      signal: controller.signal,
      onEvent: (event) => {
        if (event.type === 'shard') controller.abort();
      },
    });
    expect(first.status).toBe('interrupted');
    expect(first.shardsDone).toBeGreaterThanOrEqual(1);
    expect(first.shardsDone).toBeLessThan(first.shards);
    expect(first.manifest).toBeNull();
    expect(() => openDataset(out)).toThrow(expect.objectContaining({ code: 'dataset_incomplete' }));

    const finished = shardFiles(out);
    expect(finished).toHaveLength(first.shardsDone);
    const before = new Map(finished.map((f) => [f, statSync(join(out, f))]));
    // What a kill -9 during a write leaves behind.
    writeFileSync(join(out, 'shard-00005.arrow.tmp'), 'half a shard');
    writeFileSync(join(out, 'notes.tmp'), 'not ours');

    const second = await runPreprocess({ dataDir, outDir: out, workers: 2, shardSize: SHARD_SIZE });
    expect(second.status).toBe('complete');
    expect(second.shardsReused).toBe(first.shardsDone);
    expect(second.filesProcessed).toBe(listed - first.shardsDone * SHARD_SIZE);
    expect(second.ok).toBe(summary.ok);
    expect(second.rejectsByCode).toEqual(summary.rejectsByCode);
    for (const [file, stat] of before) {
      const now = statSync(join(out, file));
      expect([now.ino, now.mtimeMs]).toEqual([stat.ino, stat.mtimeMs]);
    }
    expect(readdirSync(out).filter((f) => f.endsWith('.tmp'))).toEqual(['notes.tmp']);
    expect(shardFiles(out)).toEqual(shardFiles(join(root, 'full')));
    for (const file of shardFiles(out)) {
      expect(readFileSync(join(out, file)).equals(readFileSync(join(root, 'full', file)))).toBe(true);
    }
    expect(readFileSync(join(out, 'stats.json'), 'utf8')).toBe(
      readFileSync(join(root, 'full/stats.json'), 'utf8'),
    );

    // Nothing left to do: a re-run reuses everything.
    const third = await runPreprocess({ dataDir, outDir: out, workers: 2, shardSize: SHARD_SIZE });
    expect(third).toMatchObject({ status: 'complete', filesProcessed: 0, shardsReused: second.shards });

    // A smaller run into the same directory redoes only the changed chunk and drops the shards it no longer has.
    const limited = await runPreprocess({
      dataDir,
      outDir: out,
      workers: 2,
      shardSize: SHARD_SIZE,
      limit: 10,
    });
    expect(limited).toMatchObject({
      status: 'complete',
      listed: 10,
      shards: 2,
      shardsReused: 1,
      filesProcessed: 2,
    });
    expect(shardFiles(out)).toEqual(['shard-00000.arrow', 'shard-00001.arrow']);
    expect(openDataset(out).length).toBe(10 - 1);
  });
});

function accumulateRows(data: Dataset, include: (participant: number) => boolean): StatsAccumulator {
  const acc = new StatsAccumulator();
  for (let i = 0; i < data.length; i++) {
    if (!include(data.participantIds[i]!)) continue;
    const inputs: ModelInputs = { frames: data.frames(i), nonEmptyFrameIdxs: data.nonEmptyFrameIdxs(i) };
    acc.add(inputs);
  }
  return acc;
}

/** Accumulated in another order (per shard and participant, then merged): equal up to rounding. */
function expectStatsClose(actual: NormalizationStats, expected: NormalizationStats): void {
  expect(actual.clips).toBe(expected.clips);
  const flat = (s: NormalizationStats) =>
    Object.values(s.groups).flatMap((g) => [...g.mean, ...g.std].flat());
  const a = flat(actual);
  const e = flat(expected);
  expect(a).toHaveLength(e.length);
  for (const [i, value] of e.entries()) expect(a[i]).toBeCloseTo(value, 9);
}
