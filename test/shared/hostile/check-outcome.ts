import type { Clip } from '../../../src/shared/landmarks/clip.ts';
import { LandmarkFileError } from '../../../src/shared/landmarks/landmark-file-error.ts';
import type { LandmarkErrorCode } from '../../../src/shared/landmarks/landmark-file-error.ts';
import { readLandmarkArrow } from '../../../src/shared/landmarks/read-arrow.ts';
import { readLandmarkJson } from '../../../src/shared/landmarks/read-json.ts';
import { readLandmarkParquet } from '../../../src/shared/landmarks/read-parquet.ts';
import { COORDS, POINTS_PER_FRAME } from '../../../src/shared/landmarks/layout.ts';
import { isPlausibleCoordinate, MAX_FRAMES } from '../../../src/shared/limits.ts';

/** What a hostile case may end in. */
export interface Expectation {
  /** A typed error with one of these codes (or, when `clip` is set too, that instead). */
  readonly codes?: readonly LandmarkErrorCode[];
  /** The clip a correct reader must produce; 'any': any well-formed clip. */
  readonly clip?: Clip | 'any';
}

export type CaseFormat = 'parquet' | 'arrow' | 'json';

export interface HostileCase {
  readonly name: string;
  readonly category: string;
  readonly format: CaseFormat;
  readonly bytes: Uint8Array;
  readonly expect: Expectation;
}

/** Every code a reader may give; anything else is an untyped failure. */
export const LANDMARK_CODES: readonly LandmarkErrorCode[] = [
  'not_parquet',
  'not_arrow',
  'invalid_json',
  'file_too_large',
  'corrupt',
  'unsupported',
  'missing_column',
  'bad_column_type',
  'unknown_type',
  'landmark_index_out_of_range',
  'bad_frame',
  'duplicate_landmark',
  'no_frames',
  'too_many_frames',
  'bad_shape',
  'non_finite',
  'coordinate_out_of_range',
  'no_landmarks',
];

/** Phrases of JS engine and library errors: a message containing one leaked an internal. */
const INTERNALS =
  /cannot read prop|undefined|is not a function|is not iterable|invalid typed array|out of bounds|offset is outside|call stack|unexpected token|at position|rangeerror|typeerror|syntaxerror|array buffer allocation/i;

export type Outcome =
  | { readonly kind: 'clip'; readonly clip: Clip }
  | { readonly kind: 'error'; readonly code: string; readonly message: string }
  | { readonly kind: 'untyped'; readonly description: string };

/** What the shared reader for `format` makes of `bytes`: a clip, a typed error, or anything else. */
export async function readOutcome(format: CaseFormat, bytes: Uint8Array, source: string): Promise<Outcome> {
  try {
    const clip =
      format === 'parquet'
        ? await readLandmarkParquet(bytes, source)
        : format === 'arrow'
          ? readLandmarkArrow(bytes, source)
          : readLandmarkJson(bytes, source);
    return { kind: 'clip', clip };
  } catch (error) {
    if (error instanceof LandmarkFileError)
      return { kind: 'error', code: error.code, message: error.message };
    return {
      kind: 'untyped',
      description: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
    };
  }
}

/** Why a clip is not one a reader may return, or undefined when it is. */
export function malformedClip(clip: Clip): string | undefined {
  if (!(Number.isInteger(clip.frameCount) && clip.frameCount >= 1 && clip.frameCount <= MAX_FRAMES))
    return `frameCount ${clip.frameCount}`;
  if (clip.data.length !== clip.frameCount * POINTS_PER_FRAME * COORDS)
    return `data of ${clip.data.length} values`;
  let present = 0;
  for (let i = 0; i < clip.data.length; i++) {
    const v = clip.data[i]!;
    if (Number.isNaN(v)) continue;
    if (!isPlausibleCoordinate(i % COORDS, v)) return `value ${v} at ${i}`;
    present++;
  }
  return present === 0 ? 'no landmark' : undefined;
}

function sameClip(a: Clip, b: Clip): boolean {
  if (a.frameCount !== b.frameCount || a.firstFrame !== b.firstFrame || a.data.length !== b.data.length)
    return false;
  for (let i = 0; i < a.data.length; i++) if (!Object.is(a.data[i], b.data[i])) return false;
  return true;
}

/** Why an error message is not one to show a client, or undefined. */
export function badMessage(message: string): string | undefined {
  if (message.length === 0) return 'empty message';
  if (message.length > 600) return `a ${message.length}-character message`;
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(message)) return 'control characters in the message';
  if (INTERNALS.test(message)) return `an engine message: ${JSON.stringify(message.slice(0, 200))}`;
  return undefined;
}

/** Why the outcome breaks the case's expectation (or the readers' contract), or undefined. */
export function judge(c: HostileCase, outcome: Outcome): string | undefined {
  const { codes, clip } = c.expect;
  if (outcome.kind === 'untyped') return `untyped failure: ${outcome.description}`;
  if (outcome.kind === 'error') {
    if (!(LANDMARK_CODES as readonly string[]).includes(outcome.code)) return `unknown code ${outcome.code}`;
    const message = badMessage(outcome.message);
    if (message !== undefined) return message;
    if (codes !== undefined && !codes.includes(outcome.code as LandmarkErrorCode))
      return `${outcome.code} (${outcome.message}), expected ${codes.join(' or ')}${clip === undefined ? '' : ' or the clip'}`;
    if (codes === undefined && clip !== undefined && clip !== 'any')
      return `${outcome.code} (${outcome.message}), expected the clip`;
    return undefined;
  }
  const malformed = malformedClip(outcome.clip);
  if (malformed !== undefined) return `a malformed clip: ${malformed}`;
  if (clip === undefined) return `a clip, expected ${codes?.join(' or ')}`;
  if (clip !== 'any' && !sameClip(outcome.clip, clip)) return 'a clip that differs from the correct one';
  return undefined;
}
