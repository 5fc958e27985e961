import type { Clip } from '../../shared/landmarks/clip.ts';
import { readLandmarkArrow } from '../../shared/landmarks/read-arrow.ts';
import { readLandmarkJson } from '../../shared/landmarks/read-json.ts';
import { readLandmarkParquet } from '../../shared/landmarks/read-parquet.ts';
import type { ReadOptions } from '../../shared/landmarks/read-options.ts';
import { ApiError } from '../api-error.ts';

type Decoder = (body: Uint8Array, source: string, opts: ReadOptions) => Clip | Promise<Clip>;

/** The clip formats POST /v1/predict accepts, by media type; the README documents the same list. */
export const CLIP_DECODERS: Readonly<Record<string, Decoder>> = {
  'application/vnd.apache.parquet': readLandmarkParquet,
  'application/vnd.apache.arrow.stream': readLandmarkArrow,
  'application/vnd.apache.arrow.file': readLandmarkArrow,
  'application/json': readLandmarkJson,
};

export const CLIP_MEDIA_TYPES: readonly string[] = Object.keys(CLIP_DECODERS);

export function decoderFor(mediaType: string | null): Decoder {
  const decoder = mediaType ? CLIP_DECODERS[mediaType] : undefined;
  if (!decoder) {
    throw new ApiError(
      415,
      'unsupported_media_type',
      `Content-Type ${mediaType ? JSON.stringify(mediaType) : '(none)'} is not a clip format; send one of ${CLIP_MEDIA_TYPES.join(', ')}`,
      { Accept: CLIP_MEDIA_TYPES.join(', ') },
    );
  }
  return decoder;
}
