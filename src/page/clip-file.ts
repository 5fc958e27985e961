import { SAMPLE_MEDIA_TYPES } from '../shared/bundle/sample-index.ts';
import type { Clip } from '../shared/landmarks/clip.ts';
import { readLandmarkJson } from '../shared/landmarks/read-json.ts';
import { readLandmarkParquet } from '../shared/landmarks/read-parquet.ts';

export const PARQUET = 'application/vnd.apache.parquet';
export const ARROW_STREAM = 'application/vnd.apache.arrow.stream';
export const ARROW_FILE = 'application/vnd.apache.arrow.file';
export const JSON_CLIP = 'application/json';

const startsWith = (bytes: Uint8Array, prefix: readonly number[]): boolean =>
  prefix.every((b, i) => bytes[i] === b);

/**
 * The media type to send a file's bytes as: from its first bytes when they say (parquet's `PAR1`,
 * Arrow's `ARROW1` or a stream's continuation marker, JSON's `{`), else from its extension; null when
 * neither knows it. A damaged file that still starts right is sent as what it claims to be, so the
 * Worker names what is wrong with it.
 */
export function clipMediaType(bytes: Uint8Array, fileName: string): string | null {
  if (startsWith(bytes, [0x50, 0x41, 0x52, 0x31])) return PARQUET;
  if (startsWith(bytes, [0x41, 0x52, 0x52, 0x4f, 0x57, 0x31])) return ARROW_FILE;
  if (startsWith(bytes, [0xff, 0xff, 0xff, 0xff])) return ARROW_STREAM;
  const firstText = bytes.find(
    (b) => b !== 0x20 && b !== 0x0a && b !== 0x0d && b !== 0x09 && b !== 0xef && b !== 0xbb && b !== 0xbf,
  );
  if (firstText === 0x7b) return JSON_CLIP;
  const ext = fileName.slice(fileName.lastIndexOf('.') + 1).toLowerCase();
  return Object.hasOwn(SAMPLE_MEDIA_TYPES, ext) ? SAMPLE_MEDIA_TYPES[ext]! : null;
}

/**
 * Decodes a clip in the browser to draw it, with the same readers the Worker uses. Arrow's reader is
 * loaded only when an Arrow file arrives: it is most of the decoding code's weight.
 */
export async function decodeClip(bytes: Uint8Array, mediaType: string, source: string): Promise<Clip> {
  switch (mediaType) {
    case PARQUET:
      return readLandmarkParquet(bytes, source);
    case ARROW_FILE:
    case ARROW_STREAM: {
      const { readLandmarkArrow } = await import('../shared/landmarks/read-arrow.ts');
      return readLandmarkArrow(bytes, source);
    }
    case JSON_CLIP:
      return readLandmarkJson(bytes, source);
    default:
      throw new Error(`${source}: not a clip format this page reads (${mediaType})`);
  }
}
