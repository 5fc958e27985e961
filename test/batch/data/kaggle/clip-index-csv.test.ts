import { describe, expect, it } from 'vitest';
import {
  parseIndexCsv,
  type IndexCsvOptions,
  type IndexCsvProblem,
} from '../../../../src/batch/data/kaggle/clip-index-csv.ts';

class Problem extends Error {
  constructor(
    readonly problem: IndexCsvProblem,
    detail: string,
  ) {
    super(detail);
  }
}

const strict: IndexCsvOptions = {
  participantId: 'required',
  relaxColumnCount: false,
  fail: (problem, detail) => {
    throw new Problem(problem, detail);
  },
};
const relaxed: IndexCsvOptions = { ...strict, participantId: 'optional', relaxColumnCount: true };

function problemOf(text: string, options: IndexCsvOptions): [IndexCsvProblem, string] {
  try {
    parseIndexCsv(text, options);
  } catch (err) {
    if (err instanceof Problem) return [err.problem, err.message];
    throw err;
  }
  throw new Error('expected a problem');
}

describe("parseIndexCsv (train.csv and the scorer's listings)", () => {
  it('reads the columns in any order, ids as canonical text, with line numbers', () => {
    const text =
      '\uFEFFsign,sequence_id,extra,path,participant_id\nhello,0042,x,a/42.parquet,7\n\n,4294967295,y,b.parquet,8\n';
    expect(parseIndexCsv(text, strict)).toEqual([
      { line: 2, path: 'a/42.parquet', sequenceId: '42', participantId: 7, sign: 'hello' },
      { line: 3, path: 'b.parquet', sequenceId: '4294967295', participantId: 8, sign: null },
    ]);
  });

  it('hands every problem to the caller, naming the line', () => {
    expect(problemOf('', strict)).toEqual(['empty', 'empty file, no header']);
    expect(problemOf('path,sequence_id\na,1\n', strict)).toEqual([
      'missing_column',
      'no "participant_id" column in the header',
    ]);
    expect(problemOf('path,participant_id,sequence_id\na,1,x\n', strict)).toEqual([
      'bad_value',
      'line 2: sequence_id "x" is not an id',
    ]);
    expect(problemOf('path,participant_id,sequence_id\na,1,1\nb,2,01\n', strict)).toEqual([
      'duplicate_sequence',
      'line 3: sequence_id 1 repeats',
    ]);
    expect(problemOf('path,participant_id,sequence_id\na,2147483648,1\n', strict)[0]).toBe('bad_value');
    expect(problemOf('path,participant_id,sequence_id\na,,1\n', strict)[0]).toBe('bad_value');
    expect(problemOf('path,sequence_id\n"a,1\n', relaxed)[0]).toBe('malformed');
  });

  it('lets a listing leave out the signer, and its rows differ in length; never train.csv', () => {
    expect(parseIndexCsv('path,sequence_id,participant_id\na,1\nb,2,,extra\n', relaxed)).toEqual([
      { line: 2, path: 'a', sequenceId: '1', participantId: null, sign: null },
      { line: 3, path: 'b', sequenceId: '2', participantId: null, sign: null },
    ]);
    expect(problemOf('path,participant_id,sequence_id\na,1,1,extra\n', strict)[0]).toBe('malformed');
  });
});
