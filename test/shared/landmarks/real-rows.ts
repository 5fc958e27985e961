import { parquetReadObjects } from 'hyparquet';

/** One row as hyparquet's own row reader sees it: the independent oracle the reader is checked against. */
export interface LandmarkRow {
  readonly frame: number;
  readonly row_id: string;
  readonly type: string;
  readonly landmark_index: number;
  readonly x: number | null;
  readonly y: number | null;
  readonly z: number | null;
}

/** All columns, or only `columns` (the other fields are then absent). */
export async function readRows(bytes: Uint8Array, columns?: (keyof LandmarkRow)[]): Promise<LandmarkRow[]> {
  const file = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  return (await parquetReadObjects({
    file,
    ...(columns === undefined ? {} : { columns }),
  })) as unknown as LandmarkRow[];
}
