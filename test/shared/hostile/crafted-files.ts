import {
  buildParquet,
  CODEC,
  deltaBinaryPacked,
  ENC,
  plainNumbers,
  REP,
  TYPE,
  type ColumnSpec,
} from './parquet-builder.ts';
import { ByteSink } from './thrift-writer.ts';

/**
 * The file from issue 13: eight face rows whose `type` column is DELTA_BYTE_ARRAY-encoded and claims
 * every value after the first takes a `prefixBytes`-long prefix of the one before (256 MB by
 * default) — while the one before is 4 bytes long. About 900 bytes. hyparquet's decoder allocated
 * each claimed length (workerd grew by gigabytes per request) and the reader answered
 * `unknown_type` with a message full of NULs; the file is corrupt (pyarrow: "prefix length too large").
 */
export function craftedDeltaPrefixFile(prefixBytes = 2 ** 28, rows = 8): Uint8Array {
  const suffixes = ['face', ...Array.from({ length: rows - 1 }, () => '')];
  const typeValues = new ByteSink();
  typeValues.append(deltaBinaryPacked([0, ...Array.from({ length: rows - 1 }, () => prefixBytes)]));
  typeValues.append(deltaBinaryPacked(suffixes.map((s) => s.length)));
  typeValues.append(new TextEncoder().encode(suffixes.join('')));
  const required = (
    name: string,
    type: number,
    values: Uint8Array,
    encoding: number = ENC.PLAIN,
  ): ColumnSpec => ({
    name,
    type,
    repetition: REP.REQUIRED,
    codec: CODEC.UNCOMPRESSED,
    pages: [{ kind: 'v1', numValues: rows, encoding, values }],
  });
  const index = Array.from({ length: rows }, (_, i) => i);
  const coordinate = Array.from({ length: rows }, (_, i) => 0.4 + i / 100);
  return buildParquet({
    rowGroups: [
      {
        numRows: rows,
        columns: [
          required('frame', TYPE.INT32, plainNumbers(new Array<number>(rows).fill(0), 'INT32')),
          required('type', TYPE.BYTE_ARRAY, typeValues.result(), ENC.DELTA_BYTE_ARRAY),
          required('landmark_index', TYPE.INT32, plainNumbers(index, 'INT32')),
          required('x', TYPE.DOUBLE, plainNumbers(coordinate, 'DOUBLE')),
          required('y', TYPE.DOUBLE, plainNumbers(coordinate, 'DOUBLE')),
          required('z', TYPE.DOUBLE, plainNumbers(coordinate, 'DOUBLE')),
        ],
      },
    ],
  }).bytes;
}
