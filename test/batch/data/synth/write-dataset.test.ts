import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { parse } from 'csv-parse/sync';
import { parquetMetadata, parquetReadObjects } from 'hyparquet';
import { afterAll, describe, expect, it } from 'vitest';
import { parseSignMap } from '../../../../src/batch/data/kaggle/read-sign-map.ts';
import type { WriteSynthOptions } from '../../../../src/batch/data/synth/write-dataset.ts';
import { writeSynthDataset } from '../../../../src/batch/data/synth/write-dataset.ts';
import { POINTS_PER_FRAME } from '../../../../src/shared/landmarks/layout.ts';
import { hasRealData, REAL_DIR } from '../../../shared/real-files.ts';
import { readArrayBuffer } from './read-array-buffer.ts';

const root = mkdtempSync(join(tmpdir(), 'signcast-synth-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const TINY = { seed: 5, signs: 4, signers: 3, clips: 12, testClips: 4 } as const;
let runs = 0;
async function write(options: Partial<WriteSynthOptions> = {}): Promise<string> {
  const out = join(root, `run-${runs++}`);
  await writeSynthDataset({ ...TINY, workers: 0, ...options, out });
  return out;
}

/** Every file under `dir`, relative path -> bytes. */
function snapshot(dir: string): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  const walk = (d: string): void => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else files.set(relative(dir, p), readFileSync(p));
    }
  };
  walk(dir);
  return files;
}

type Row = Record<string, string>;
const csv = (path: string): Row[] => parse(readFileSync(path, 'utf8'), { columns: true }) as Row[];
const REAL_MAP = join(REAL_DIR, 'sign_to_prediction_index_map.json');
const realNames = (): readonly string[] => parseSignMap(readFileSync(REAL_MAP, 'utf8'), REAL_MAP);
const signMapIn = (dir: string): readonly string[] => {
  const path = join(dir, 'sign_to_prediction_index_map.json');
  return parseSignMap(readFileSync(path, 'utf8'), path);
};

describe('writeSynthDataset', async () => {
  const out = await write();
  const files = snapshot(out);

  it('writes the Kaggle layout: train.csv, the sign map and one parquet file per row', () => {
    const header = readFileSync(join(out, 'train.csv'), 'utf8').split('\n')[0];
    expect(header).toBe('path,participant_id,sequence_id,sign');
    const rows = csv(join(out, 'train.csv'));
    expect(rows).toHaveLength(TINY.clips);
    for (const r of rows) {
      expect(r.path).toBe(`train_landmark_files/${r.participant_id}/${r.sequence_id}.parquet`);
      expect(r.participant_id).toMatch(/^\d{5}$/);
      expect(files.has(r.path!)).toBe(true);
    }
    const ids = rows.map((r) => r.sequence_id!);
    expect(ids).toEqual([...ids].sort());
    expect(new Set(rows.map((r) => r.participant_id)).size).toBeLessThanOrEqual(TINY.signers);
    const parquet = [...files.keys()].filter((p) => p.endsWith('.parquet'));
    expect(parquet).toHaveLength(TINY.clips + TINY.testClips);
    expect([...files.keys()].filter((p) => p.endsWith('.tmp'))).toEqual([]);
  });

  it.skipIf(!hasRealData)(
    'writes the sign map like the real one: ASCII-sorted keys, values 0..N-1, json.dumps spacing',
    () => {
      const text = files.get('sign_to_prediction_index_map.json')!.toString('utf8');
      const realText = readFileSync(join(REAL_DIR, 'sign_to_prediction_index_map.json'), 'utf8');
      const shape = (t: string) =>
        t
          .replace(/"[^"]*"/g, '"k"')
          .replace(/\d+/g, '0')
          .replace(/("k": 0, )+/g, '');
      expect(shape(text)).toBe(shape(realText));
      const names = signMapIn(out);
      expect(names).toHaveLength(TINY.signs);
      expect(names).toEqual([...names].sort());
      const signs = new Set(csv(join(out, 'train.csv')).map((r) => r.sign));
      for (const s of signs) expect(names).toContain(s);
    },
  );

  it.skipIf(!hasRealData)('invents its own sign names when given no map', () => {
    const real = new Set(realNames());
    const names = signMapIn(out);
    expect(names.filter((n) => real.has(n))).toEqual([]);
  });

  it('writes parquet files that read back as whole clips', async () => {
    const path = csv(join(out, 'train.csv'))[0]!.path!;
    const file = readArrayBuffer(join(out, path));
    const rows = await parquetReadObjects({ file, columns: ['frame', 'type'] });
    const frames = new Set(rows.map((r) => r.frame as number));
    expect(rows.length).toBe(frames.size * POINTS_PER_FRAME);
    expect(parquetMetadata(file).row_groups).toHaveLength(1);
  });

  it('writes an unlabelled test split with a separate answer key', () => {
    const test = csv(join(out, 'test.csv'));
    const labels = csv(join(out, 'test_labels.csv'));
    expect(Object.keys(test[0]!)).toEqual(['path', 'participant_id', 'sequence_id']);
    expect(labels.map((r) => r.path)).toEqual(test.map((r) => r.path));
    for (const r of test) expect(r.path).toMatch(/^test_landmark_files\/\d{5}\/\d+\.parquet$/);
    const trainIds = new Set(csv(join(out, 'train.csv')).map((r) => r.sequence_id));
    for (const r of test) expect(trainIds.has(r.sequence_id)).toBe(false);
  });

  it('is deterministic: same seed, same bytes, with or without worker threads', async () => {
    const again = snapshot(await write({ workers: 2 }));
    expect([...again.keys()].sort()).toEqual([...files.keys()].sort());
    for (const [path, bytes] of files) expect(again.get(path)!.equals(bytes), path).toBe(true);
  });

  it('changes with the seed', async () => {
    const other = snapshot(await write({ seed: TINY.seed + 1 }));
    expect(other.get('train.csv')!.equals(files.get('train.csv')!)).toBe(false);
  });

  it.skipIf(!hasRealData)('takes sign names from a sign map when given one', async () => {
    const mapped = await write({ signs: 5, testClips: 0, signNames: realNames() });
    const names = signMapIn(mapped);
    expect(names).toEqual(realNames().slice(0, 5));
    for (const r of csv(join(mapped, 'train.csv'))) expect(names).toContain(r.sign);
  });

  it('rejects impossible options', async () => {
    const names = Array.from({ length: 250 }, (_, i) => `name-${i}`);
    await expect(write({ signs: 300, signNames: names })).rejects.toThrow(/fewer than/);
    await expect(write({ signers: 0 })).rejects.toThrow(RangeError);
  });
});
