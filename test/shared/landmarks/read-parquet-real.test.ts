import { describe, expect, it } from 'vitest';
import {
  COORDS,
  LANDMARK_OFFSETS,
  POINTS_PER_FRAME,
  isLandmarkType,
} from '../../../src/shared/landmarks/layout.ts';
import { readLandmarkParquet } from '../../../src/shared/landmarks/read-parquet.ts';
import { hasRealData, readRealFile, realFileFacts, realParquetPaths } from '../real-files.ts';
import { readRows } from './real-rows.ts';

const facts = hasRealData ? realFileFacts() : [];

describe.skipIf(!hasRealData)('readLandmarkParquet on the real Kaggle files', () => {
  it('finds all 50 files, each described in FILES.tsv', () => {
    const paths = realParquetPaths();
    expect(paths).toHaveLength(50);
    expect(paths).toEqual(facts.map((f) => f.path).sort());
  });

  it.each(facts.map((f) => [f.path, f] as const))(
    '%s: every row sits where its row_id says',
    async (path, fact) => {
      const bytes = readRealFile(path);
      const clip = await readLandmarkParquet(bytes, path);
      expect(clip.frameCount).toBe(fact.frames);
      expect(clip.firstFrame).toBe(fact.frameMin);
      expect(clip.data).toHaveLength(fact.frames * POINTS_PER_FRAME * COORDS);

      const rows = await readRows(bytes, ['row_id', 'x', 'y', 'z']);
      expect(rows).toHaveLength(fact.rows);
      const seen = new Uint8Array(clip.frameCount * POINTS_PER_FRAME);
      let nullRows = 0;
      for (const row of rows) {
        const [frameText, type, indexText] = row.row_id.split('-');
        if (type === undefined || !isLandmarkType(type)) throw new Error(`bad row_id ${row.row_id}`);
        const point =
          (Number(frameText) - fact.frameMin) * POINTS_PER_FRAME + LANDMARK_OFFSETS[type] + Number(indexText);
        seen[point] = seen[point]! + 1;
        const got = Array.from(clip.data.subarray(point * COORDS, point * COORDS + COORDS));
        const want = [row.x, row.y, row.z].map((v) => (v === null ? NaN : Math.fround(v)));
        if (row.x === null) nullRows++;
        if (!Object.is(got[0], want[0]) || !Object.is(got[1], want[1]) || !Object.is(got[2], want[2])) {
          expect.fail(`${path} row ${row.row_id}: tensor has ${got.join(',')}, row has ${want.join(',')}`);
        }
      }
      // One row per tensor place: every value in the tensor was checked above.
      expect(seen.every((n) => n === 1)).toBe(true);
      expect(nullRows).toBeGreaterThan(0);
    },
  );
});
