import { parseIndexCsv, type IndexCsvProblem } from './clip-index-csv.ts';
import { KaggleReadError, type KaggleReadErrorCode } from './read-error.ts';
import { readIndexFile } from './read-index-file.ts';

/** One row of the Kaggle train.csv. `sign` is null when the column is absent or the cell is empty. */
export interface TrainRow {
  /** Relative to the dataset directory, as written in the CSV (`train_landmark_files/<pid>/<sid>.parquet`). */
  readonly path: string;
  readonly participantId: number;
  /** Real ids reach ~4.3e9: beyond int32, but exact as a double (the Arrow column is int64). */
  readonly sequenceId: number;
  readonly sign: string | null;
}

const CODES: Readonly<Record<IndexCsvProblem, KaggleReadErrorCode>> = {
  malformed: 'csv_malformed',
  missing_column: 'csv_missing_column',
  empty: 'csv_missing_column',
  bad_value: 'csv_bad_value',
  duplicate_sequence: 'csv_duplicate_sequence',
};

export async function readTrainCsv(path: string): Promise<TrainRow[]> {
  return parseTrainCsv(await readIndexFile(path), path);
}

/** The dataset's index: every clip's signer is required, and its ids must be exact as numbers. */
export function parseTrainCsv(text: string, source: string): TrainRow[] {
  const fail = (problem: IndexCsvProblem, detail: string): never => {
    throw new KaggleReadError(CODES[problem], source, detail);
  };
  return parseIndexCsv(text, { participantId: 'required', relaxColumnCount: false, fail }).map((row) => {
    const sequenceId = Number(row.sequenceId);
    if (!Number.isSafeInteger(sequenceId))
      fail('bad_value', `line ${row.line}: sequence_id "${row.sequenceId}" is not an id`);
    return { path: row.path, participantId: row.participantId!, sequenceId, sign: row.sign };
  });
}
