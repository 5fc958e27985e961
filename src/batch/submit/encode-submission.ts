import { stringify } from 'csv-stringify/sync';
import { parquetWriteBuffer } from 'hyparquet-writer';
import type { SubmissionTable } from './submission-table.ts';

export type SubmissionFormat = 'csv' | 'parquet';

/** Probabilities in the CSV: 6 significant digits (the parquet keeps the exact float32). */
export function formatProbability(p: number): string {
  return Number.isFinite(p) ? String(Number(p.toPrecision(6))) : String(p);
}

export function encodeSubmissionCsv(table: SubmissionTable): string {
  const header = ['sequence_id', ...table.columns.map((c) => c.name)];
  const rows = table.sequenceIds.map((id, r) => [
    id,
    ...table.columns.map((c) => {
      const value = c.values[r];
      if (value === null || value === undefined) return '';
      return typeof value === 'number' ? formatProbability(value) : value;
    }),
  ]);
  return stringify([header, ...rows], { record_delimiter: '\n' });
}

/** The same columns as parquet: sequence_id INT64, signs STRING, probabilities FLOAT. */
export function encodeSubmissionParquet(table: SubmissionTable): Uint8Array {
  const buffer = parquetWriteBuffer({
    columnData: [
      {
        name: 'sequence_id',
        data: table.sequenceIds.map((id) => BigInt(id)),
        type: 'INT64',
        nullable: false,
      },
      ...table.columns.map((c) =>
        c.kind === 'sign'
          ? { name: c.name, data: [...c.values], type: 'STRING' as const }
          : { name: c.name, data: [...c.values], type: 'FLOAT' as const },
      ),
    ],
  });
  return new Uint8Array(buffer);
}

export function encodeSubmission(table: SubmissionTable, format: SubmissionFormat): Uint8Array | string {
  return format === 'csv' ? encodeSubmissionCsv(table) : encodeSubmissionParquet(table);
}
