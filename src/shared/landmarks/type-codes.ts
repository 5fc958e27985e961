import { LANDMARK_TYPES } from './layout.ts';

/** Returned for a type name that is not one of the four landmark types. */
export const UNKNOWN_TYPE_CODE = 255;

const TYPE_BYTES: readonly Uint8Array[] = LANDMARK_TYPES.map((t) => new TextEncoder().encode(t));

/** Index of `name` in LANDMARK_TYPES, or UNKNOWN_TYPE_CODE. */
export function typeCodeOfString(name: string): number {
  const code = (LANDMARK_TYPES as readonly string[]).indexOf(name);
  return code < 0 ? UNKNOWN_TYPE_CODE : code;
}

/**
 * Same as typeCodeOfString for UTF-8 bytes, without decoding them: plain-encoded parquet pages and
 * Arrow Utf8 columns hand us one byte slice per row, and decoding ~10k strings per file would cost
 * more than the rest of the read.
 */
export function typeCodeOfBytes(bytes: Uint8Array, start = 0, end = bytes.length): number {
  const length = end - start;
  for (let code = 0; code < TYPE_BYTES.length; code++) {
    const candidate = TYPE_BYTES[code]!;
    if (candidate.length !== length) continue;
    let same = true;
    for (let i = 0; i < length; i++) {
      if (candidate[i] !== bytes[start + i]) {
        same = false;
        break;
      }
    }
    if (same) return code;
  }
  return UNKNOWN_TYPE_CODE;
}

/** For error messages: the offending value, shortened so a hostile file cannot flood a log. */
export function describeTypeValue(bytes: Uint8Array | null, start = 0, end = bytes?.length ?? 0): string {
  if (bytes === null) return 'null';
  const text = new TextDecoder().decode(bytes.subarray(start, Math.min(end, start + 40)));
  return JSON.stringify(end - start > 40 ? `${text}...` : text);
}
