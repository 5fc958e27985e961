import { readFileSync } from 'node:fs';

/** A file's bytes as an ArrayBuffer of their own (hyparquet takes ArrayBuffers, not Node Buffers). */
export function readArrayBuffer(path: string): ArrayBuffer {
  const buf = readFileSync(path);
  return buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength) as ArrayBuffer;
}
