import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { MAX_BODY_BYTES } from '../../../shared/limits.ts';

/**
 * One landmark file's bytes, or why not. A file over MAX_BODY_BYTES (src/shared/limits.ts) is refused
 * from its size, before reading: the Worker refuses the same bytes as a request body, and a
 * multi-gigabyte file would otherwise be read whole into memory first.
 */
export type LandmarkFileRead =
  | { readonly ok: true; readonly bytes: Uint8Array }
  | {
      readonly ok: false;
      readonly code: 'file_missing' | 'file_unreadable' | 'file_too_large';
      readonly message: string;
    };

function failure(file: string, err: unknown): LandmarkFileRead {
  const code = (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'file_missing' : 'file_unreadable';
  return { ok: false, code, message: `${file}: ${(err as Error).message}` };
}

function tooLarge(file: string, size: number): LandmarkFileRead {
  return {
    ok: false,
    code: 'file_too_large',
    message: `${file}: ${size} bytes (the limit is ${MAX_BODY_BYTES})`,
  };
}

/** Synchronous: decode workers call it from their own thread, where blocking costs nothing. */
export function readLandmarkFileSync(file: string): LandmarkFileRead {
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch (err) {
    return failure(file, err);
  }
  try {
    const size = fstatSync(fd).size;
    if (size > MAX_BODY_BYTES) return tooLarge(file, size);
    const bytes = new Uint8Array(size);
    let read = 0;
    while (read < size) {
      const n = readSync(fd, bytes, read, size - read, read);
      if (n === 0) break;
      read += n;
    }
    return { ok: true, bytes: read === size ? bytes : bytes.subarray(0, read) };
  } catch (err) {
    return failure(file, err);
  } finally {
    closeSync(fd);
  }
}

export async function readLandmarkFile(file: string): Promise<LandmarkFileRead> {
  let handle;
  try {
    handle = await open(file, 'r');
  } catch (err) {
    return failure(file, err);
  }
  try {
    const size = (await handle.stat()).size;
    if (size > MAX_BODY_BYTES) return tooLarge(file, size);
    const bytes = new Uint8Array(size);
    let read = 0;
    while (read < size) {
      const { bytesRead } = await handle.read(bytes, read, size - read, read);
      if (bytesRead === 0) break;
      read += bytesRead;
    }
    return { ok: true, bytes: read === size ? bytes : bytes.subarray(0, read) };
  } catch (err) {
    return failure(file, err);
  } finally {
    await handle.close();
  }
}
