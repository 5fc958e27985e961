import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { parquetReadObjects } from 'hyparquet';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readSignMap } from '../../../src/batch/data/kaggle/read-sign-map.ts';
import { runSubmit, type SubmitOptions } from '../../../src/batch/submit/run-submit.ts';
import { copyFixtureBundle, makeSynthTestSplit } from './fixtures/data-dirs.ts';

const CLIPS = 24;
const root = mkdtempSync(join(tmpdir(), 'signcast-submit-synth-'));
const data = join(root, 'data');
let model = '';
let signs: readonly string[] = [];
afterAll(() => rmSync(root, { recursive: true, force: true }));

beforeAll(async () => {
  await makeSynthTestSplit(data, CLIPS);
  signs = await readSignMap(join(data, 'sign_to_prediction_index_map.json'));
  // The fixture model with the dataset's sign names, so that --evaluate has labels it knows.
  model = copyFixtureBundle(join(root, 'model'), signs);
});

function options(out: string, extra: Partial<SubmitOptions> = {}): SubmitOptions {
  return {
    dataDir: data,
    modelDir: model,
    out,
    format: 'csv',
    top: 1,
    probs: false,
    precision: 'auto',
    batch: 8,
    workers: 1,
    intraOpThreads: 1,
    evaluate: false,
    ...extra,
  };
}

const readCsv = (path: string) =>
  parse(readFileSync(path, 'utf8'), { columns: true }) as Record<string, string>[];

describe('runSubmit on a synthetic test split', () => {
  it('writes sequence_id,sign for every clip of test.csv in its order, and evaluates against test_labels.csv', async () => {
    const out = join(root, 'plain', 'submission.csv');
    const summary = await runSubmit(options(out, { evaluate: true }));
    expect(summary.status).toBe('complete');
    expect(summary.listing).toBe(join(data, 'test.csv'));
    expect(summary.model.variant).toBe('int8');
    expect(summary).toMatchObject({ clips: CLIPS, scoredNow: CLIPS, resumed: 0, failed: 0 });

    const text = readFileSync(out, 'utf8');
    expect(text.split('\n')[0]).toBe('sequence_id,sign');
    const rows = readCsv(out);
    const listed = readCsv(join(data, 'test.csv'));
    expect(rows.map((r) => r['sequence_id'])).toEqual(listed.map((r) => r['sequence_id']));
    for (const row of rows) expect(signs).toContain(row['sign']);
    expect(readFileSync(join(root, 'plain', 'errors.csv'), 'utf8')).toBe('path,code,message\n');

    // The evaluation agrees with the written submission scored against the answer key.
    const truth = new Map(readCsv(join(data, 'test_labels.csv')).map((r) => [r['sequence_id'], r['sign']]));
    const hits = rows.filter((r) => truth.get(r['sequence_id']!) === r['sign']).length;
    const e = summary.evaluation!;
    expect(e.clips).toBe(CLIPS);
    expect(e.unknownLabels).toBe(0);
    expect(e.accuracy).toBe(hits / CLIPS);
    expect(e.top5).toBeGreaterThanOrEqual(e.accuracy);
    expect(e.perSign.reduce((n, r) => n + r.support, 0)).toBe(CLIPS);
    expect(e.perSign.reduce((n, r) => n + r.predicted, 0)).toBe(CLIPS);
  });

  it('gives corrupt, empty, garbage and missing files the fallback, lists them in errors.csv, and keeps going', async () => {
    const listed = readCsv(join(data, 'test.csv'));
    const good = readFileSync(join(data, listed[0]!['path']!));
    mkdirSync(join(data, 'bad'), { recursive: true });
    writeFileSync(join(data, 'bad', 'empty.parquet'), new Uint8Array(0));
    writeFileSync(join(data, 'bad', 'truncated.parquet'), good.subarray(0, good.length >> 1));
    writeFileSync(join(data, 'bad', 'garbage.parquet'), 'sequence_id,sign\n1,hello\n');
    const bad = [
      ['bad/empty.parquet', '1'],
      ['bad/truncated.parquet', '2'],
      ['bad/garbage.parquet', '3'],
      ['bad/missing.parquet', '4'],
    ];
    const lines = listed.map((r) => `${r['path']},${r['sequence_id']}`);
    bad.forEach(([path, id], k) => lines.splice(3 + 5 * k, 0, `${path},${id}`));
    const csv = join(root, 'with-bad.csv');
    writeFileSync(csv, ['path,sequence_id', ...lines].join('\n') + '\n');

    const out = join(root, 'bad-out', 'submission.csv');
    const summary = await runSubmit(options(out, { csv }));
    expect(summary.status).toBe('complete');
    expect(summary.clips).toBe(CLIPS + bad.length);
    expect(summary.failed).toBe(bad.length);
    expect(summary.failuresByCode['file_missing']).toBe(1);

    const rows = readCsv(out);
    expect(rows.map((r) => r['sequence_id'])).toEqual(lines.map((l) => l.split(',')[1]));
    const fallback = signs[0];
    for (const [, id] of bad) expect(rows.find((r) => r['sequence_id'] === id)!['sign']).toBe(fallback);

    const errors = readCsv(join(root, 'bad-out', 'errors.csv'));
    expect(errors.map((e) => e['path'])).toEqual(bad.map(([path]) => path));
    const codes = Object.fromEntries(errors.map((e) => [e['path'], e['code']]));
    expect(codes['bad/missing.parquet']).toBe('file_missing');
    for (const path of ['bad/empty.parquet', 'bad/truncated.parquet', 'bad/garbage.parquet']) {
      expect(['not_parquet', 'corrupt']).toContain(codes[path]);
    }
    for (const e of errors) expect(e['message']).toContain(e['path']!.replace('bad/', ''));
  });

  it('writes the same table as parquet, top-k signs and exact probabilities included', async () => {
    const shape = { top: 3, probs: true };
    const csvOut = join(root, 'topk', 'submission.csv');
    const parquetOut = join(root, 'topk', 'submission.parquet');
    await runSubmit(options(csvOut, shape));
    await runSubmit(options(parquetOut, { ...shape, format: 'parquet' }));
    const csvRows = readCsv(csvOut);
    expect(Object.keys(csvRows[0]!)).toEqual([
      'sequence_id',
      'sign',
      'prob',
      'sign_2',
      'prob_2',
      'sign_3',
      'prob_3',
    ]);
    const bytes = readFileSync(parquetOut);
    const file = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
    const parquetRows = (await parquetReadObjects({ file })) as Record<string, unknown>[];
    expect(parquetRows).toHaveLength(CLIPS);
    parquetRows.forEach((row, i) => {
      const csvRow = csvRows[i]!;
      expect(row['sequence_id']).toBe(BigInt(csvRow['sequence_id']!));
      for (const suffix of ['', '_2', '_3']) {
        expect(row[`sign${suffix}`]).toBe(csvRow[`sign${suffix}`]);
        const p = row[`prob${suffix}`] as number;
        expect(Math.fround(p)).toBe(p);
        expect(p).toBeCloseTo(Number(csvRow[`prob${suffix}`]), 6);
      }
      expect(row['prob'] as number).toBeGreaterThanOrEqual(row['prob_2'] as number);
    });
  });
});
