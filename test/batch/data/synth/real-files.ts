/** Where the real Kaggle files live (outside the repository: ../shared/asl-real from the repo root). */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const REAL_DIR = fileURLToPath(new URL('../../../../../shared/asl-real/', import.meta.url));

export function readArrayBuffer(path: string): ArrayBuffer {
  const buf = readFileSync(path);
  return buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength) as ArrayBuffer;
}
