import { gzipSync } from 'node:zlib';
import { parquetMetadata } from 'hyparquet';
import { beforeAll, describe, expect, it } from 'vitest';
import { Random } from '../../../src/batch/random/random.ts';
import type { Clip } from '../../../src/shared/landmarks/clip.ts';
import {
  LandmarkFileError,
  type LandmarkErrorCode,
} from '../../../src/shared/landmarks/landmark-file-error.ts';
import {
  COORDS,
  LANDMARK_COUNTS,
  LANDMARK_OFFSETS,
  POINTS_PER_FRAME,
} from '../../../src/shared/landmarks/layout.ts';
import { readLandmarkParquet } from '../../../src/shared/landmarks/read-parquet.ts';
import { hasRealData, readRealFile } from '../real-files.ts';
import { shuffled, writeVariant } from './parquet-variant.ts';
import { readRows, type LandmarkRow } from './real-rows.ts';
import { expectSameClip } from './tensor-compare.ts';

// 6 frames (18..23), left hand always null, right hand null in 2 frames: small, with nulls.
const PATH = 'train_landmark_files/2044/1813099846.parquet';
const NAME = 'variant.parquet';

let realBytes: Uint8Array;
let rows: LandmarkRow[];
let real: Clip;

beforeAll(async () => {
  realBytes = readRealFile(PATH);
  rows = await readRows(realBytes);
  real = await readLandmarkParquet(realBytes, PATH);
});

async function expectError(
  bytes: Uint8Array,
  code: LandmarkErrorCode,
  source = NAME,
  opts?: { maxFrames?: number },
): Promise<LandmarkFileError> {
  const error = await readLandmarkParquet(bytes, source, opts).then(
    () => expect.fail(`expected ${code}, but the file was read`),
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(LandmarkFileError);
  const landmarkError = error as LandmarkFileError;
  expect(landmarkError.code).toBe(code);
  expect(landmarkError.source).toBe(source);
  expect(landmarkError.message).toContain(source);
  return landmarkError;
}

/** The real clip with some places set to missing, as the expectation for files that lack those rows. */
function withMissing(clip: Clip, missing: (frame: number, point: number) => boolean): Clip {
  const data = clip.data.slice();
  for (let f = 0; f < clip.frameCount; f++) {
    for (let p = 0; p < POINTS_PER_FRAME; p++) {
      if (missing(f, p))
        data.fill(NaN, (f * POINTS_PER_FRAME + p) * COORDS, (f * POINTS_PER_FRAME + p + 1) * COORDS);
    }
  }
  return { ...clip, data };
}

describe.skipIf(!hasRealData)('readLandmarkParquet accepts the same table from other writers', () => {
  it('reads a hyparquet-writer copy (v2 pages, no int16 annotation) exactly like the original', async () => {
    expectSameClip(await readLandmarkParquet(writeVariant(rows), NAME), real);
  });

  it('bytes that are a view at an odd offset into a larger buffer (as Node file buffers can be)', async () => {
    const host = new Uint8Array(realBytes.length + 11);
    host.set(realBytes, 7);
    expectSameClip(await readLandmarkParquet(host.subarray(7, 7 + realBytes.length), PATH), real);
  });

  it('float32 x, y, z', async () => {
    const bytes = writeVariant(rows, { coordinateType: 'FLOAT' });
    expect(parquetMetadata(bytes).schema.find((e) => e.name === 'x')?.type).toBe('FLOAT');
    expectSameClip(await readLandmarkParquet(bytes, NAME), real);
  });

  it('NaN instead of null, in required columns', async () => {
    const bytes = writeVariant(rows, { nanForNull: true });
    expect(parquetMetadata(bytes).schema.find((e) => e.name === 'x')?.repetition_type).toBe('REQUIRED');
    expectSameClip(await readLandmarkParquet(bytes, NAME), real);
  });

  it('several row groups and several pages per column chunk', async () => {
    const bytes = writeVariant(rows, { rowGroupSize: 700, pageSize: 2048 });
    expect(parquetMetadata(bytes).row_groups.length).toBeGreaterThan(3);
    expectSameClip(await readLandmarkParquet(bytes, NAME), real);
  });

  it('rows in any order', async () => {
    expectSameClip(await readLandmarkParquet(writeVariant(shuffled(rows)), NAME), real);
  });

  it('int64 frame and landmark_index, no row_id column', async () => {
    const bytes = writeVariant(shuffled(rows, 7), { integerType: 'INT64', omit: ['row_id'] });
    expectSameClip(await readLandmarkParquet(bytes, NAME), real);
  });

  it('other encodings: byte-stream-split floats, delta ints and strings, plain strings, uncompressed', async () => {
    const deltas = writeVariant(rows, {
      encodings: {
        x: 'BYTE_STREAM_SPLIT',
        y: 'BYTE_STREAM_SPLIT',
        z: 'PLAIN',
        frame: 'DELTA_BINARY_PACKED',
        landmark_index: 'DELTA_BINARY_PACKED',
        type: 'DELTA_BYTE_ARRAY',
      },
    });
    expectSameClip(await readLandmarkParquet(deltas, NAME), real);
    const plain = writeVariant(rows, {
      codec: 'UNCOMPRESSED',
      encodings: { type: 'PLAIN', frame: 'PLAIN', landmark_index: 'PLAIN' },
    });
    expectSameClip(await readLandmarkParquet(plain, NAME), real);
    const lengths = writeVariant(rows, { encodings: { type: 'DELTA_LENGTH_BYTE_ARRAY' } });
    expectSameClip(await readLandmarkParquet(lengths, NAME), real);
  });

  it('a type with no rows at all reads as missing', async () => {
    const bytes = writeVariant(rows.filter((r) => r.type !== 'pose'));
    const pose = LANDMARK_OFFSETS.pose;
    const expected = withMissing(real, (_, p) => p >= pose && p < pose + LANDMARK_COUNTS.pose);
    expectSameClip(await readLandmarkParquet(bytes, NAME), expected);
  });

  it('a frame with no rows stays in place as an all-missing frame; a missing first frame moves the start', async () => {
    const middle = await readLandmarkParquet(writeVariant(rows.filter((r) => r.frame !== 20)), NAME);
    expect(middle.frameCount).toBe(6);
    expectSameClip(
      middle,
      withMissing(real, (f) => f === 2),
    );

    const late = await readLandmarkParquet(writeVariant(rows.filter((r) => r.frame !== 18)), NAME);
    expect(late.firstFrame).toBe(19);
    expect(late.frameCount).toBe(5);
    expectSameClip(late, {
      frameCount: 5,
      firstFrame: 19,
      data: real.data.slice(POINTS_PER_FRAME * COORDS),
    });
  });
});

describe.skipIf(!hasRealData)(
  'readLandmarkParquet refuses bad tables with a typed error naming the file',
  () => {
    const changed = (i: number, change: Partial<LandmarkRow>): LandmarkRow[] =>
      rows.map((r, j) => (j === i ? { ...r, ...change } : r));

    it('landmark_index out of range for its type', async () => {
      const faceRow = rows.findIndex((r) => r.type === 'face');
      const error = await expectError(
        writeVariant(changed(faceRow, { landmark_index: 468 })),
        'landmark_index_out_of_range',
      );
      expect(error.message).toContain('468');
      await expectError(writeVariant(changed(5, { landmark_index: -1 })), 'landmark_index_out_of_range');
    });

    it('unknown or null type', async () => {
      const error = await expectError(writeVariant(changed(10, { type: 'left_foot' })), 'unknown_type');
      expect(error.message).toContain('left_foot');
      await expectError(writeVariant(changed(10, { type: null as unknown as string })), 'unknown_type');
    });

    it('null frame, duplicate rows', async () => {
      await expectError(writeVariant(changed(3, { frame: null as unknown as number })), 'bad_frame');
      await expectError(writeVariant([...rows, rows[100]!]), 'duplicate_landmark');
    });

    it('infinite coordinates, or ones float32 cannot hold', async () => {
      const error = await expectError(writeVariant(changed(42, { y: Infinity })), 'non_finite');
      expect(error.message).toContain('row 42');
      await expectError(writeVariant(changed(42, { z: -1e39 })), 'non_finite');
    });

    it('zero rows', async () => {
      await expectError(writeVariant([]), 'no_frames');
    });

    it('missing or mistyped columns', async () => {
      const error = await expectError(writeVariant(rows, { omit: ['z'] }), 'missing_column');
      expect(error.message).toContain('z');
      await expectError(writeVariant(rows, { omit: ['type'] }), 'missing_column');
      await expectError(writeVariant(rows, { coordinateType: 'STRING' }), 'bad_column_type');
      await expectError(writeVariant(rows, { integerType: 'DOUBLE' }), 'bad_column_type');
    });

    it('more frames than the caller allows', async () => {
      await expectError(realBytes, 'too_many_frames', PATH, { maxFrames: 5 });
      await expect(readLandmarkParquet(realBytes, PATH, { maxFrames: 6 })).resolves.toBeDefined();
    });

    it('a codec it cannot decode', async () => {
      const bytes = writeVariant(rows, { codec: 'GZIP', compressors: { GZIP: (input) => gzipSync(input) } });
      const error = await expectError(bytes, 'unsupported');
      expect(error.message).toContain('GZIP');
    });
  },
);

describe.skipIf(!hasRealData)('readLandmarkParquet on damaged copies of a real file', () => {
  it('a text file is not parquet', async () => {
    await expectError(new TextEncoder().encode('path,participant_id\nfoo,1\n'), 'not_parquet', 'notes.csv');
    await expectError(new Uint8Array(0), 'not_parquet', 'empty.parquet');
  });

  it('truncated files are corrupt', async () => {
    await expectError(realBytes.subarray(0, realBytes.length - 1), 'corrupt', PATH);
    await expectError(realBytes.subarray(0, Math.floor(realBytes.length / 2)), 'corrupt', PATH);
  });

  it('flipped bytes in the footer are corrupt', async () => {
    const bytes = realBytes.slice();
    const view = new DataView(bytes.buffer);
    const footerStart = bytes.length - 8 - view.getUint32(bytes.length - 8, true);
    for (let i = footerStart; i < footerStart + 16; i++) bytes[i] = bytes[i]! ^ 0xff;
    await expectError(bytes, 'corrupt', PATH);
  });

  it('random damage anywhere gives a clip or a LandmarkFileError, never another failure', async () => {
    const delta = writeVariant(rows, {
      encodings: { x: 'BYTE_STREAM_SPLIT', frame: 'DELTA_BINARY_PACKED', type: 'DELTA_BYTE_ARRAY' },
    });
    const rng = Random.seeded(2024);
    const random = (n: number): number => rng.below(n);
    const codes = new Set<string>();
    for (const original of [realBytes, delta]) {
      for (let trial = 0; trial < 150; trial++) {
        const bytes = original.slice();
        // Half the trials hit the footer, where a damaged byte reshapes the whole file.
        const span = trial % 2 === 0 ? bytes.length : 1500;
        for (let k = 1 + random(4); k > 0; k--) bytes[bytes.length - 1 - random(span)] = random(256);
        try {
          await readLandmarkParquet(bytes, NAME);
          codes.add('read');
        } catch (error) {
          if (!(error instanceof LandmarkFileError)) throw error;
          expect(error.source).toBe(NAME);
          codes.add(error.code);
        }
      }
    }
    expect(codes).toContain('corrupt');
  });

  it('a footer that points past the data is corrupt, not a crash', async () => {
    // Keep the footer but drop the middle of the file: column chunks now lie outside it.
    const footerLength = new DataView(realBytes.buffer, realBytes.byteOffset).getUint32(
      realBytes.length - 8,
      true,
    );
    const tail = realBytes.subarray(realBytes.length - 8 - footerLength);
    const bytes = new Uint8Array(4 + tail.length);
    bytes.set(realBytes.subarray(0, 4));
    bytes.set(tail, 4);
    await expectError(bytes, 'corrupt', PATH);
  });
});
