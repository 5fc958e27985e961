import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { KaggleReadError } from '../../../../src/batch/data/kaggle/read-error.ts';
import { parseTrainCsv, readTrainCsv } from '../../../../src/batch/data/kaggle/read-train-csv.ts';
import { hasRealData, REAL_DIR } from '../../../shared/real-files.ts';
import { errorCodeOf } from '../../error-code-of.ts';

const codeOf = (fn: () => unknown): string => errorCodeOf(KaggleReadError, fn);

describe('readTrainCsv', () => {
  it.skipIf(!hasRealData)('reads the real train.csv rows', async () => {
    const rows = await readTrainCsv(join(REAL_DIR, 'train.csv'));
    expect(rows).toHaveLength(49);
    expect(new Set(rows.map((r) => r.participantId)).size).toBe(21);
    expect(
      rows.every(
        (r) =>
          r.sign !== null && r.path === `train_landmark_files/${r.participantId}/${r.sequenceId}.parquet`,
      ),
    ).toBe(true);
    // Real sequence ids exceed int32: they must survive exactly.
    expect(rows.some((r) => r.sequenceId > 2 ** 31)).toBe(true);
    // Each row as a plain split of its line reads it (the real file has no quoting).
    const lines = readFileSync(join(REAL_DIR, 'train.csv'), 'utf8').trim().split('\n').slice(1);
    expect(rows).toEqual(
      lines.map((line) => {
        const [path, participantId, sequenceId, sign] = line.split(',');
        return { path, participantId: Number(participantId), sequenceId: Number(sequenceId), sign };
      }),
    );
  });

  it.skipIf(!hasRealData)('gives an empty sign cell as null', () => {
    const rows = parseTrainCsv(readFileSync(join(REAL_DIR, 'unlabeled.csv'), 'utf8'), 'unlabeled.csv');
    expect(rows).toEqual([
      {
        path: 'train_landmark_files/16069/10042041.parquet',
        participantId: 16069,
        sequenceId: 10042041,
        sign: null,
      },
    ]);
  });

  it('accepts a file without a sign column (every sign unknown) and columns in any order', () => {
    const rows = parseTrainCsv('sequence_id,path,participant_id\n7,a.parquet,3\n', 'x.csv');
    expect(rows).toEqual([{ path: 'a.parquet', participantId: 3, sequenceId: 7, sign: null }]);
  });

  it('refuses a broken index with a code and the file name', () => {
    expect(codeOf(() => parseTrainCsv('path,participant_id\na,1\n', 'x.csv'))).toBe('csv_missing_column');
    expect(codeOf(() => parseTrainCsv('', 'x.csv'))).toBe('csv_missing_column');
    expect(codeOf(() => parseTrainCsv('path,participant_id,sequence_id\na,1,x\n', 'x.csv'))).toBe(
      'csv_bad_value',
    );
    expect(codeOf(() => parseTrainCsv('path,participant_id,sequence_id\na,-1,2\n', 'x.csv'))).toBe(
      'csv_bad_value',
    );
    expect(codeOf(() => parseTrainCsv('path,participant_id,sequence_id\na,99999999999,2\n', 'x.csv'))).toBe(
      'csv_bad_value',
    );
    expect(codeOf(() => parseTrainCsv('path,participant_id,sequence_id\n,1,2\n', 'x.csv'))).toBe(
      'csv_bad_value',
    );
    expect(codeOf(() => parseTrainCsv('path,participant_id,sequence_id\na,1,2\nb,1,2\n', 'x.csv'))).toBe(
      'csv_duplicate_sequence',
    );
    expect(codeOf(() => parseTrainCsv('path,participant_id,sequence_id\n"a,1,2\n', 'x.csv'))).toBe(
      'csv_malformed',
    );
    expect(() => parseTrainCsv('path,participant_id,sequence_id\na,1,x\n', 'dir/train.csv')).toThrow(
      /dir\/train\.csv: line 2/,
    );
  });

  it('names a missing file', async () => {
    await expect(readTrainCsv('/nonexistent/train.csv')).rejects.toMatchObject({
      code: 'file_unreadable',
      source: '/nonexistent/train.csv',
    });
  });
});
