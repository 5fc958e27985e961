import { Float64, Int16, Table, Utf8, tableToIPC, vectorFromArray } from 'apache-arrow';
import { parquetWriteBuffer } from 'hyparquet-writer';
import { LANDMARK_COUNTS, LANDMARK_OFFSETS, LANDMARK_TYPES } from '../../src/shared/landmarks/layout.ts';
import type { ClipFrames } from './synthetic-clip.ts';

/** The three bodies POST /v1/predict accepts, with their media types. */
export const MEDIA_TYPES = {
  parquet: 'application/vnd.apache.parquet',
  arrow: 'application/vnd.apache.arrow.stream',
  json: 'application/json',
} as const;
export type ClipFormat = keyof typeof MEDIA_TYPES;
export const FILE_EXTENSIONS: Readonly<Record<ClipFormat, string>> = {
  parquet: 'parquet',
  arrow: 'arrows',
  json: 'json',
};

interface Rows {
  frame: number[];
  row_id: string[];
  type: string[];
  landmark_index: number[];
  x: (number | null)[];
  y: (number | null)[];
  z: (number | null)[];
}

/** The Kaggle table layout: one row per (frame, point), every point listed, missing ones as nulls. */
function kaggleRows(clip: ClipFrames, firstFrame: number): Rows {
  const rows: Rows = { frame: [], row_id: [], type: [], landmark_index: [], x: [], y: [], z: [] };
  clip.forEach((points, f) => {
    const frame = firstFrame + f;
    for (const type of LANDMARK_TYPES) {
      for (let i = 0; i < LANDMARK_COUNTS[type]; i++) {
        const point = points[LANDMARK_OFFSETS[type] + i] ?? null;
        rows.frame.push(frame);
        rows.row_id.push(`${frame}-${type}-${i}`);
        rows.type.push(type);
        rows.landmark_index.push(i);
        rows.x.push(point ? point[0] : null);
        rows.y.push(point ? point[1] : null);
        rows.z.push(point ? point[2] : null);
      }
    }
  });
  return rows;
}

export function encodeClipJson(clip: ClipFrames): Uint8Array {
  return new TextEncoder().encode(JSON.stringify({ frames: clip }));
}

export function encodeClipParquet(clip: ClipFrames, firstFrame = 0): Uint8Array {
  const rows = kaggleRows(clip, firstFrame);
  return new Uint8Array(
    parquetWriteBuffer({
      columnData: [
        { name: 'frame', data: rows.frame, type: 'INT32' },
        { name: 'row_id', data: rows.row_id, type: 'STRING' },
        { name: 'type', data: rows.type, type: 'STRING' },
        { name: 'landmark_index', data: rows.landmark_index, type: 'INT32' },
        { name: 'x', data: rows.x, type: 'DOUBLE', nullable: true },
        { name: 'y', data: rows.y, type: 'DOUBLE', nullable: true },
        { name: 'z', data: rows.z, type: 'DOUBLE', nullable: true },
      ],
    }),
  );
}

export function encodeClipArrow(clip: ClipFrames, firstFrame = 0): Uint8Array {
  const rows = kaggleRows(clip, firstFrame);
  const table = new Table({
    frame: vectorFromArray(rows.frame, new Int16()),
    row_id: vectorFromArray(rows.row_id, new Utf8()),
    type: vectorFromArray(rows.type, new Utf8()),
    landmark_index: vectorFromArray(rows.landmark_index, new Int16()),
    x: vectorFromArray(rows.x, new Float64()),
    y: vectorFromArray(rows.y, new Float64()),
    z: vectorFromArray(rows.z, new Float64()),
  });
  return tableToIPC(table, 'stream');
}

export function encodeClip(clip: ClipFrames, format: ClipFormat, firstFrame = 0): Uint8Array {
  if (format === 'json') return encodeClipJson(clip);
  return format === 'parquet' ? encodeClipParquet(clip, firstFrame) : encodeClipArrow(clip, firstFrame);
}
