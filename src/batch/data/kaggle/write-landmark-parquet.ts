/**
 * Encodes a clip as a landmark parquet file physically like the Kaggle ASL-Signs ones: columns frame
 * (INT32 annotated INT(16, signed)), row_id ("{frame}-{type}-{landmark_index}"), type, landmark_index
 * (INT32 annotated INT(16, signed)), x, y, z (DOUBLE, null where a landmark is missing); 543 rows per frame in
 * the order face, left_hand, pose, right_hand; Snappy; one row group; all columns OPTIONAL as pyarrow writes
 * them.
 *
 * Differences hyparquet-writer imposes: data pages are DATA_PAGE_V2 and the footer says format version 2
 * (the real files are version 1 with v1 pages); dictionary encoding is chosen per column by the writer
 * (RLE_DICTIONARY where it pays, PLAIN otherwise) rather than pyarrow's dictionary-with-fallback. Every
 * parquet reader the project uses reads both.
 */
import type { SchemaElement } from 'hyparquet';
import { ByteWriter, parquetWrite } from 'hyparquet-writer';
import type { Clip } from '../../../shared/landmarks/clip.ts';
import { LANDMARK_COUNTS, LANDMARK_TYPES, POINTS_PER_FRAME } from '../../../shared/landmarks/layout.ts';
import type { LandmarkType } from '../../../shared/landmarks/layout.ts';

const int16 = (name: string): SchemaElement => ({
  name,
  type: 'INT32',
  repetition_type: 'OPTIONAL',
  converted_type: 'INT_16',
  logical_type: { type: 'INTEGER', bitWidth: 16, isSigned: true },
});
const utf8 = (name: string): SchemaElement => ({
  name,
  type: 'BYTE_ARRAY',
  repetition_type: 'OPTIONAL',
  converted_type: 'UTF8',
  logical_type: { type: 'STRING' },
});
const double = (name: string): SchemaElement => ({ name, type: 'DOUBLE', repetition_type: 'OPTIONAL' });

/** The physical schema of a Kaggle landmark file (root first, as parquet lists it). */
export const LANDMARK_PARQUET_SCHEMA: readonly SchemaElement[] = [
  { name: 'schema', repetition_type: 'REQUIRED', num_children: 7 },
  int16('frame'),
  utf8('row_id'),
  utf8('type'),
  int16('landmark_index'),
  double('x'),
  double('y'),
  double('z'),
];

export const LANDMARK_FILE_CREATOR = 'signcast synth (hyparquet-writer)';

/** Frame numbers are int16 in the files. */
export const MAX_FRAME_NUMBER = 32767;

export interface LandmarkColumns {
  readonly frame: Int32Array;
  readonly row_id: string[];
  readonly type: LandmarkType[];
  readonly landmark_index: Int32Array;
  readonly x: (number | null)[];
  readonly y: (number | null)[];
  readonly z: (number | null)[];
}

const ROW_TYPES: readonly LandmarkType[] = LANDMARK_TYPES.flatMap((t) =>
  Array.from({ length: LANDMARK_COUNTS[t] }, () => t),
);
const ROW_INDEXES: readonly number[] = LANDMARK_TYPES.flatMap((t) =>
  Array.from({ length: LANDMARK_COUNTS[t] }, (_, i) => i),
);
const ROW_SUFFIXES: readonly string[] = ROW_TYPES.map((t, i) => `-${t}-${ROW_INDEXES[i]}`);

/** The clip as the file's seven columns, one row per landmark per frame; NaN becomes null. */
export function landmarkColumns(clip: Clip): LandmarkColumns {
  const last = clip.firstFrame + clip.frameCount - 1;
  if (!Number.isInteger(clip.firstFrame) || clip.firstFrame < 0 || last > MAX_FRAME_NUMBER) {
    throw new RangeError(
      `frame numbers ${clip.firstFrame}..${last} do not fit the files' int16 frame column`,
    );
  }
  const rows = clip.frameCount * POINTS_PER_FRAME;
  const frame = new Int32Array(rows);
  const rowId = new Array<string>(rows);
  const type = new Array<LandmarkType>(rows);
  const landmarkIndex = new Int32Array(rows);
  const x = new Array<number | null>(rows);
  const y = new Array<number | null>(rows);
  const z = new Array<number | null>(rows);
  const value = (v: number): number | null => (Number.isNaN(v) ? null : v);
  for (let f = 0; f < clip.frameCount; f++) {
    const number = clip.firstFrame + f;
    const prefix = String(number);
    for (let p = 0; p < POINTS_PER_FRAME; p++) {
      const r = f * POINTS_PER_FRAME + p;
      frame[r] = number;
      rowId[r] = prefix + ROW_SUFFIXES[p]!;
      type[r] = ROW_TYPES[p]!;
      landmarkIndex[r] = ROW_INDEXES[p]!;
      x[r] = value(clip.data[r * 3]!);
      y[r] = value(clip.data[r * 3 + 1]!);
      z[r] = value(clip.data[r * 3 + 2]!);
    }
  }
  return { frame, row_id: rowId, type, landmark_index: landmarkIndex, x, y, z };
}

export function encodeLandmarkParquet(clip: Clip): Uint8Array {
  const columns = landmarkColumns(clip);
  // About 30 bytes per row after compression; starting near the final size avoids repeated regrowth.
  const writer = new ByteWriter(Math.max(4096, clip.frameCount * POINTS_PER_FRAME * 32));
  parquetWrite({
    writer,
    schema: [...LANDMARK_PARQUET_SCHEMA],
    columnData: [
      { name: 'frame', data: columns.frame },
      { name: 'row_id', data: columns.row_id },
      { name: 'type', data: columns.type },
      { name: 'landmark_index', data: columns.landmark_index },
      { name: 'x', data: columns.x },
      { name: 'y', data: columns.y },
      { name: 'z', data: columns.z },
    ],
    codec: 'SNAPPY',
    rowGroupSize: Math.max(1, columns.frame.length),
    createdBy: LANDMARK_FILE_CREATOR,
  });
  return writer.getBytes().slice();
}
