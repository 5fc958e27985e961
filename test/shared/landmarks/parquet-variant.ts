import { parquetWriteBuffer, type ColumnSource, type ParquetWriteOptions } from 'hyparquet-writer';
import type { CompressionCodec, Encoding } from 'hyparquet';
import { Random } from '../../../src/batch/random/random.ts';
import type { LandmarkRow } from './real-rows.ts';

type ColumnName = 'frame' | 'row_id' | 'type' | 'landmark_index' | 'x' | 'y' | 'z';

/** How another writer might have laid out the same landmark table. */
export interface VariantOptions {
  readonly coordinateType?: 'FLOAT' | 'DOUBLE' | 'STRING';
  readonly integerType?: 'INT32' | 'INT64' | 'DOUBLE';
  /** Write missing coordinates as NaN in a REQUIRED column instead of nulls. */
  readonly nanForNull?: boolean;
  readonly omit?: readonly ColumnName[];
  readonly encodings?: Partial<Record<ColumnName, Encoding>>;
  readonly rowGroupSize?: number;
  readonly pageSize?: number;
  readonly codec?: CompressionCodec;
  readonly compressors?: ParquetWriteOptions['compressors'];
}

/** Writes rows with hyparquet-writer (DATA_PAGE_V2 pages, unlike pyarrow's v1 pages in the real files). */
export function writeVariant(rows: readonly LandmarkRow[], opts: VariantOptions = {}): Uint8Array {
  const coordinateType = opts.coordinateType ?? 'DOUBLE';
  const integerType = opts.integerType ?? 'INT32';
  const coordinate = (get: (r: LandmarkRow) => number | null): unknown[] =>
    rows.map((r) => {
      const v = get(r);
      if (coordinateType === 'STRING') return v === null ? null : String(v);
      if (v === null) return opts.nanForNull === true ? NaN : null;
      return v;
    });
  const integer = (values: number[]): unknown[] =>
    integerType === 'INT64' ? values.map((v) => BigInt(v)) : values;
  const columns: Record<ColumnName, Omit<ColumnSource, 'name'>> = {
    frame: { data: integer(rows.map((r) => r.frame)), type: integerType },
    row_id: { data: rows.map((r) => r.row_id), type: 'STRING' },
    type: { data: rows.map((r) => r.type), type: 'STRING' },
    landmark_index: { data: integer(rows.map((r) => r.landmark_index)), type: integerType },
    x: { data: coordinate((r) => r.x), type: coordinateType, nullable: opts.nanForNull !== true },
    y: { data: coordinate((r) => r.y), type: coordinateType, nullable: opts.nanForNull !== true },
    z: { data: coordinate((r) => r.z), type: coordinateType, nullable: opts.nanForNull !== true },
  };
  const columnData = (Object.keys(columns) as ColumnName[])
    .filter((name) => !(opts.omit ?? []).includes(name))
    .map((name) => {
      const encoding = opts.encodings?.[name];
      return { name, ...columns[name], ...(encoding === undefined ? {} : { encoding }) } as ColumnSource;
    });
  const buffer = parquetWriteBuffer({
    columnData,
    ...(opts.rowGroupSize === undefined ? {} : { rowGroupSize: opts.rowGroupSize }),
    ...(opts.pageSize === undefined ? {} : { pageSize: opts.pageSize }),
    ...(opts.codec === undefined ? {} : { codec: opts.codec }),
    ...(opts.compressors === undefined ? {} : { compressors: opts.compressors }),
  });
  return new Uint8Array(buffer);
}

/** A seeded shuffle, so a failing order can be reproduced. */
export function shuffled<T>(items: readonly T[], seed = 12345): T[] {
  return Random.seeded(seed).shuffle([...items]);
}
