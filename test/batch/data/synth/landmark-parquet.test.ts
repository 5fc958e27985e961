import { join } from 'node:path';
import type { SchemaElement } from 'hyparquet';
import { parquetMetadata, parquetReadObjects } from 'hyparquet';
import { describe, expect, it } from 'vitest';
import {
  encodeLandmarkParquet,
  LANDMARK_PARQUET_SCHEMA,
} from '../../../../src/batch/data/kaggle/write-landmark-parquet.ts';
import { generateClip } from '../../../../src/batch/data/synth/generate-clip.ts';
import { makeSignSpecs } from '../../../../src/batch/data/synth/sign-spec.ts';
import { makeSigners } from '../../../../src/batch/data/synth/signer.ts';
import { POINTS_PER_FRAME, VALUES_PER_FRAME } from '../../../../src/shared/landmarks/layout.ts';
import { hasRealData, REAL_DIR } from '../../../shared/real-files.ts';
import { readArrayBuffer } from './read-array-buffer.ts';

const REAL_FILE = join(REAL_DIR, 'train_landmark_files/2044/1813099846.parquet');
const signs = makeSignSpecs(8, 7);
const signers = makeSigners(4, 7);

/** A clip with some missing hand frames and some tracked ones, so both nulls and values are exercised. */
function mixedClip() {
  for (let seed = 1; ; seed++) {
    const clip = generateClip(signs[seed % 8]!, signers[seed % 4]!, seed);
    let missing = 0;
    for (let f = 0; f < clip.frameCount; f++)
      if (Number.isNaN(clip.data[f * VALUES_PER_FRAME + 468 * 3]!)) missing++;
    if (missing > 0 && missing < clip.frameCount && clip.frameCount >= 5) return clip;
  }
}

const physical = (s: SchemaElement) => ({
  name: s.name,
  type: s.type,
  repetition_type: s.repetition_type,
  converted_type: s.converted_type,
  logical_type: s.logical_type,
  num_children: s.num_children,
});

describe('landmark parquet writer', () => {
  const clip = mixedClip();
  const bytes = encodeLandmarkParquet(clip);
  const file = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;

  it.skipIf(!hasRealData)('has the physical schema, codec and row-group layout of a real Kaggle file', () => {
    const real = parquetMetadata(readArrayBuffer(REAL_FILE));
    const ours = parquetMetadata(file);
    expect(ours.schema.map(physical)).toEqual(real.schema.map(physical));
    expect(LANDMARK_PARQUET_SCHEMA.map(physical)).toEqual(real.schema.map(physical));
    expect(ours.row_groups).toHaveLength(real.row_groups.length);
    expect(Number(ours.num_rows)).toBe(clip.frameCount * POINTS_PER_FRAME);
    for (const column of ours.row_groups[0]!.columns) expect(column.meta_data?.codec).toBe('SNAPPY');
  });

  it.skipIf(!hasRealData)(
    'orders rows like a real file: frame by frame, face, left_hand, pose, right_hand',
    async () => {
      const realRows = await parquetReadObjects({ file: readArrayBuffer(REAL_FILE) });
      const rows = await parquetReadObjects({ file });
      const key = (r: Record<string, unknown>) => `${r.type as string}-${r.landmark_index as number}`;
      expect(rows.slice(0, POINTS_PER_FRAME).map(key)).toEqual(realRows.slice(0, POINTS_PER_FRAME).map(key));
    },
  );

  it('reads back every value, with nulls exactly where landmarks are missing', async () => {
    const rows = await parquetReadObjects({ file });
    expect(rows).toHaveLength(clip.frameCount * POINTS_PER_FRAME);
    let nulls = 0;
    const mismatches: string[] = [];
    rows.forEach((row, r) => {
      const frame = clip.firstFrame + Math.floor(r / POINTS_PER_FRAME);
      const rowId = `${frame}-${row.type as string}-${row.landmark_index as number}`;
      if (row.frame !== frame || row.row_id !== rowId) mismatches.push(`row ${r}: ${String(row.row_id)}`);
      (['x', 'y', 'z'] as const).forEach((axis, c) => {
        const expected = clip.data[r * 3 + c]!;
        const isNull = Number.isNaN(expected);
        if (isNull) nulls++;
        if ((isNull ? null : expected) !== row[axis])
          mismatches.push(`${rowId}.${axis}: ${String(row[axis])} != ${expected}`);
      });
    });
    expect(mismatches.slice(0, 5)).toEqual([]);
    expect(nulls).toBeGreaterThan(0);
    const stats = parquetMetadata(file).row_groups[0]!.columns[4]!.meta_data!.statistics!;
    expect(Number(stats.null_count)).toBe(nulls / 3);
  });

  it('nulls whole hands, never single points of a tracked hand', async () => {
    const rows = await parquetReadObjects({ file });
    const perHandFrame = new Map<string, number>();
    for (const row of rows) {
      if (row.type !== 'left_hand' && row.type !== 'right_hand') continue;
      const k = `${row.frame as number}-${row.type}`;
      perHandFrame.set(k, (perHandFrame.get(k) ?? 0) + (row.x === null ? 1 : 0));
    }
    for (const count of perHandFrame.values()) expect([0, 21]).toContain(count);
  });

  it('rejects frame numbers that do not fit int16', () => {
    expect(() => encodeLandmarkParquet({ ...clip, firstFrame: 32767 })).toThrow(RangeError);
    expect(() => encodeLandmarkParquet({ ...clip, firstFrame: -1 })).toThrow(RangeError);
  });
});
