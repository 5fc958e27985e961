import { mkdirSync, mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TINY_FIXTURE, writeFixtureBundle } from '../../../src/batch/fixtures/fixture-bundle.ts';
import { runSubmit, type SubmitOptions } from '../../../src/batch/submit/run-submit.ts';
import { MAX_BODY_BYTES } from '../../../src/shared/limits.ts';
import { syntheticClip, type ClipFrames } from '../../../scripts/worker/synthetic-clip.ts';
import { craftedDeltaPrefixFile } from '../../shared/hostile/crafted-files.ts';
import { landmarkParquet, LAYOUTS, tableOf } from '../../shared/hostile/landmark-parquet.ts';
import { copyFixtureBundle } from './fixtures/data-dirs.ts';

/** Issue 13 against `npm run submit`: hostile clips get the fallback and a row in errors.csv, never NaN. */

const root = mkdtempSync(join(tmpdir(), 'signcast-submit-hostile-'));
const data = join(root, 'data');
afterAll(() => rmSync(root, { recursive: true, force: true }));

const clip = syntheticClip({ frames: 5, seed: 4, hand: 'right_hand' });
const parquetOf = (frames: ClipFrames): Uint8Array => landmarkParquet(tableOf(frames), LAYOUTS[0]!).bytes;
const withX = (x: number | null): ClipFrames =>
  clip.map((frame) => frame.map((p) => (p === null || x === null ? null : ([x, p[1], p[2]] as const))));

/** path -> the code errors.csv must give it (undefined: scored). */
const FILES: Record<string, string | undefined> = {
  'good.parquet': undefined,
  'x-1e10.parquet': 'coordinate_out_of_range',
  'x-1e19.parquet': 'coordinate_out_of_range',
  'no-landmarks.parquet': 'no_landmarks',
  'crafted-delta.parquet': 'corrupt',
  'too-large.parquet': 'file_too_large',
  'also-good.parquet': undefined,
};

const readCsv = (path: string) =>
  parse(readFileSync(path, 'utf8'), { columns: true }) as Record<string, string>[];

function options(out: string, modelDir: string): SubmitOptions {
  return {
    dataDir: data,
    modelDir,
    out,
    csv: join(data, 'listing.csv'),
    format: 'csv',
    top: 3,
    probs: true,
    precision: 'float32',
    batch: 4,
    workers: 1,
    intraOpThreads: 1,
    evaluate: false,
  };
}

beforeAll(() => {
  mkdirSync(data, { recursive: true });
  writeFileSync(join(data, 'good.parquet'), parquetOf(clip));
  writeFileSync(join(data, 'also-good.parquet'), parquetOf(clip.slice(1)));
  writeFileSync(join(data, 'x-1e10.parquet'), parquetOf(withX(1e10)));
  writeFileSync(join(data, 'x-1e19.parquet'), parquetOf(withX(1e19)));
  writeFileSync(join(data, 'no-landmarks.parquet'), parquetOf(withX(null)));
  writeFileSync(join(data, 'crafted-delta.parquet'), craftedDeltaPrefixFile());
  // Sparse: one byte over the limit costs no disk, and submit must not read it to refuse it.
  writeFileSync(join(data, 'too-large.parquet'), parquetOf(clip));
  truncateSync(join(data, 'too-large.parquet'), MAX_BODY_BYTES + 1);
  const rows = Object.keys(FILES).map((path, i) => `${path},${1000 + i}`);
  writeFileSync(join(data, 'listing.csv'), ['path,sequence_id', ...rows].join('\n') + '\n');
});

describe('npm run submit on hostile clips', () => {
  it('gives each the fallback and its code in errors.csv, and scores the rest', async () => {
    const model = copyFixtureBundle(join(root, 'model'));
    const out = join(root, 'out', 'submission.csv');
    const summary = await runSubmit(options(out, model));
    expect(summary.status).toBe('complete');
    const bad = Object.entries(FILES).filter(([, code]) => code !== undefined);
    expect(summary.failed).toBe(bad.length);

    const errors = readCsv(join(root, 'out', 'errors.csv'));
    expect(Object.fromEntries(errors.map((e) => [e['path'], e['code']]))).toEqual(Object.fromEntries(bad));
    const fallback = (
      JSON.parse(readFileSync(join(model, 'manifest.json'), 'utf8')) as { fallbackSign: string }
    ).fallbackSign;
    const rows = readCsv(out);
    expect(rows).toHaveLength(Object.keys(FILES).length);
    Object.entries(FILES).forEach(([, code], i) => {
      if (code !== undefined) expect(rows[i]!['sign']).toBe(fallback);
    });
    for (const row of rows) {
      for (const key of ['prob', 'prob_2', 'prob_3']) {
        const p = Number(row[key]);
        expect(p, `${row['sequence_id']} ${key}`).toBeGreaterThanOrEqual(0);
        expect(p).toBeLessThanOrEqual(1);
      }
    }
    expect(readFileSync(out, 'utf8')).not.toMatch(/NaN|null/);
  });

  it('a model answering NaN: every clip gets the fallback and non_finite_output, and no NaN is written', async () => {
    const model = join(root, 'nan-model');
    await writeFixtureBundle(model, { ...TINY_FIXTURE, variants: ['float32'], nanOutput: true });
    const out = join(root, 'nan-out', 'submission.csv');
    const summary = await runSubmit(options(out, model));
    expect(summary.status).toBe('complete');
    expect(summary.failed).toBe(Object.keys(FILES).length);
    const errors = readCsv(join(root, 'nan-out', 'errors.csv'));
    expect(errors.filter((e) => e['code'] === 'non_finite_output').map((e) => e['path'])).toEqual([
      'good.parquet',
      'also-good.parquet',
    ]);
    expect(readFileSync(out, 'utf8')).not.toMatch(/NaN/);
  });
});
