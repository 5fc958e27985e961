import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { encodeClip, FILE_EXTENSIONS, type ClipFormat } from './clip-encodings.ts';
import { syntheticClip } from './synthetic-clip.ts';

export const SAMPLE_NAME = 'synthetic-right-hand';

/**
 * Writes one synthetic clip (never a real one) in every format POST /v1/predict accepts, for the
 * curl that `npm start` prints and for trying the API by hand.
 */
export async function writeSampleClips(dir: string): Promise<Record<ClipFormat, string>> {
  await mkdir(dir, { recursive: true });
  const clip = syntheticClip({ frames: 12, seed: 2024, hand: 'right_hand', handMissingFrames: 1 });
  const paths = {} as Record<ClipFormat, string>;
  for (const format of ['parquet', 'arrow', 'json'] as const) {
    const path = join(dir, `${SAMPLE_NAME}.${FILE_EXTENSIONS[format]}`);
    await writeFile(path, encodeClip(clip, format, 30));
    paths[format] = path;
  }
  return paths;
}
