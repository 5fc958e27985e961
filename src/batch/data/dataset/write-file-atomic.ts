import { rename, rm, writeFile } from 'node:fs/promises';

/** Suffix of the temporary files: a run that was killed mid-write leaves only these behind. */
export const TMP_SUFFIX = '.tmp';

/**
 * Writes to `<path>.tmp` then renames, so a reader (or a resumed run) sees either the old file or the
 * whole new one, never a torn write.
 */
export async function writeFileAtomic(path: string, data: Uint8Array | string): Promise<void> {
  const tmp = `${path}${TMP_SUFFIX}`;
  try {
    await writeFile(tmp, data);
    await rename(tmp, path);
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
}
