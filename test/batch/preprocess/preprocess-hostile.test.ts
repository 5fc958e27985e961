import { mkdirSync, mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, describe, expect, it } from 'vitest';
import { runPreprocess } from '../../../src/batch/preprocess/run-preprocess.ts';
import { readLandmarkParquet } from '../../../src/shared/landmarks/read-parquet.ts';
import { MAX_BODY_BYTES } from '../../../src/shared/limits.ts';
import { preprocessClip } from '../../../src/shared/preprocess/preprocess-clip.ts';
import { StatsAccumulator } from '../../../src/shared/preprocess/stats-accumulator.ts';
import { syntheticClip, type ClipFrames } from '../../../scripts/worker/synthetic-clip.ts';
import { craftedDeltaPrefixFile } from '../../shared/hostile/crafted-files.ts';
import { landmarkParquet, LAYOUTS, tableOf } from '../../shared/hostile/landmark-parquet.ts';

/** Issue 13 against `npm run preprocess`: hostile clips go to rejects.csv and leave stats.json alone. */

const root = mkdtempSync(join(tmpdir(), 'signcast-preprocess-hostile-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const parquetOf = (frames: ClipFrames): Uint8Array => landmarkParquet(tableOf(frames), LAYOUTS[0]!).bytes;
const withX = (frames: ClipFrames, x: number | null): ClipFrames =>
  frames.map((frame) => frame.map((p) => (p === null || x === null ? null : ([x, p[1], p[2]] as const))));

describe('npm run preprocess on hostile clips', () => {
  it('rejects each with its code and computes the statistics from the good clips only', async () => {
    const data = join(root, 'data');
    mkdirSync(join(data, 'clips'), { recursive: true });
    writeFileSync(join(data, 'sign_to_prediction_index_map.json'), JSON.stringify({ alpha: 0, beta: 1 }));
    const good = [0, 1, 2].map((seed) =>
      syntheticClip({ frames: 4 + seed, seed, hand: seed === 1 ? 'left_hand' : 'right_hand' }),
    );
    const files: [string, Uint8Array, string | undefined][] = [
      ['clips/good-0.parquet', parquetOf(good[0]!), undefined],
      ['clips/x-1e19.parquet', parquetOf(withX(good[0]!, 1e19)), 'coordinate_out_of_range'],
      ['clips/good-1.parquet', parquetOf(good[1]!), undefined],
      ['clips/no-landmarks.parquet', parquetOf(withX(good[1]!, null)), 'no_landmarks'],
      ['clips/crafted.parquet', craftedDeltaPrefixFile(), 'corrupt'],
      ['clips/too-large.parquet', parquetOf(good[2]!), 'file_too_large'],
      ['clips/good-2.parquet', parquetOf(good[2]!), undefined],
    ];
    for (const [path, bytes] of files) writeFileSync(join(data, path), bytes);
    truncateSync(join(data, 'clips/too-large.parquet'), MAX_BODY_BYTES + 1);
    const rows = files.map(([path], i) => `${path},7,${100 + i},${i % 2 === 0 ? 'alpha' : 'beta'}`);
    writeFileSync(
      join(data, 'train.csv'),
      ['path,participant_id,sequence_id,sign', ...rows].join('\n') + '\n',
    );

    const out = join(root, 'out');
    const summary = await runPreprocess({ dataDir: data, outDir: out, workers: 1, shardSize: 4 });
    expect(summary).toMatchObject({ status: 'complete', ok: 3, rejected: 4 });
    const rejects = parse(readFileSync(join(out, 'rejects.csv')), { columns: true }) as {
      path: string;
      reason: string;
    }[];
    expect(rejects.map((r) => [r.path, r.reason.split(':')[0]])).toEqual(
      files.filter(([, , code]) => code !== undefined).map(([path, , code]) => [path, code]),
    );

    const expected = new StatsAccumulator();
    for (const [path, bytes, code] of files) {
      if (code === undefined) expected.add(preprocessClip(await readLandmarkParquet(bytes, path)));
    }
    // Shards merge their accumulators in another order: equal to the last few bits.
    const written = JSON.parse(readFileSync(join(out, 'stats.json'), 'utf8')) as unknown;
    const want = JSON.parse(JSON.stringify(expected.finish())) as unknown;
    const flat = (v: unknown): number[] =>
      typeof v === 'number' ? [v] : typeof v === 'object' && v !== null ? Object.values(v).flatMap(flat) : [];
    const [got, wanted] = [flat(written), flat(want)];
    expect(got).toHaveLength(wanted.length);
    got.forEach((v, i) => expect(v).toBeCloseTo(wanted[i]!, 12));
  });
});
