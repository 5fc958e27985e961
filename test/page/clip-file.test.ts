import { tableFromIPC, tableToIPC } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { encodeClip } from '../../scripts/worker/clip-encodings.ts';
import { syntheticClip } from '../../scripts/worker/synthetic-clip.ts';
import {
  ARROW_FILE,
  ARROW_STREAM,
  clipMediaType,
  decodeClip,
  JSON_CLIP,
  PARQUET,
} from '../../src/page/clip-file.ts';
import { readLandmarkParquet } from '../../src/shared/landmarks/read-parquet.ts';
import { expectSameClip } from '../shared/landmarks/tensor-compare.ts';
import { hasRealData, readRealFile, realParquetPaths } from '../shared/real-files.ts';

const text = (s: string): Uint8Array => new TextEncoder().encode(s);

describe('clipMediaType', () => {
  const clip = syntheticClip({ frames: 3, seed: 1, hand: 'left_hand' });
  const stream = encodeClip(clip, 'arrow');
  const file = tableToIPC(tableFromIPC(stream), 'file');

  it('knows each format by its first bytes, whatever the file is called', () => {
    expect(clipMediaType(encodeClip(clip, 'parquet'), 'clip.bin')).toBe(PARQUET);
    expect(clipMediaType(stream, 'clip')).toBe(ARROW_STREAM);
    expect(clipMediaType(file, 'clip.json')).toBe(ARROW_FILE);
    expect(clipMediaType(text('\ufeff \n {"frames": []}'), 'clip.parquet')).toBe(JSON_CLIP);
  });

  it.skipIf(!hasRealData)(
    'a damaged file that starts right is still its format, so the Worker names the damage',
    () => {
      const real = readRealFile(realParquetPaths()[0]!);
      expect(clipMediaType(real.subarray(0, real.length >> 1), 'x')).toBe(PARQUET);
    },
  );

  it('falls back to the extension, and knows nothing else', () => {
    expect(clipMediaType(text('garbage'), 'clip.PARQUET')).toBe(PARQUET);
    expect(clipMediaType(text('garbage'), 'clip.arrows')).toBe(ARROW_STREAM);
    expect(clipMediaType(text('garbage'), 'clip.txt')).toBeNull();
    expect(clipMediaType(new Uint8Array(0), 'README')).toBeNull();
  });
});

describe('decodeClip', () => {
  it.skipIf(!hasRealData)('reads every format to the same clip as the Worker does', async () => {
    const path = realParquetPaths()[1]!;
    const bytes = readRealFile(path);
    const expected = await readLandmarkParquet(bytes, path);
    expectSameClip(await decodeClip(bytes, PARQUET, path), expected);
    const clip = syntheticClip({ frames: 4, seed: 3, hand: 'right_hand' });
    const fromJson = await decodeClip(encodeClip(clip, 'json'), JSON_CLIP, 'json');
    expectSameClip(await decodeClip(encodeClip(clip, 'arrow'), ARROW_STREAM, 'arrow'), fromJson);
    await expect(decodeClip(bytes, 'text/plain', 'x')).rejects.toThrow(/not a clip format/);
  });
});
