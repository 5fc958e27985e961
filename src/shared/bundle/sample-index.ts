/**
 * A bundle may carry clips to try it on: `samples/index.json` lists them, in the order a page offers
 * them (the first is the one it opens with). Only listed files are ever served, so the index is also
 * the allowlist for GET /v1/samples/<file>.
 */
/** The folder inside a bundle, and the index file inside it. */
export const SAMPLE_DIR = 'samples';
export const SAMPLE_INDEX_FILE = 'index.json';
export const SAMPLE_INDEX_FORMAT = 'signcast-samples/1';

export interface SampleClip {
  /** File name inside `samples/`: letters, digits, `.`, `_`, `-`; a parquet, Arrow IPC or JSON clip. */
  readonly file: string;
  /** What a person is shown to pick it by. */
  readonly title: string;
  /** The sign the clip shows, when known (a synthetic clip's label). */
  readonly sign?: string;
  readonly frames: number;
  /** Frames per second to play it at. Landmark files carry frame numbers, not times. */
  readonly fps: number;
}

export interface SampleIndex {
  readonly format: typeof SAMPLE_INDEX_FORMAT;
  /** Where the clips come from, in a sentence. */
  readonly note: string;
  readonly samples: readonly SampleClip[];
}

/** The clip formats by file extension, with the media type POST /v1/predict takes them as. */
export const SAMPLE_MEDIA_TYPES: Readonly<Record<string, string>> = {
  parquet: 'application/vnd.apache.parquet',
  arrows: 'application/vnd.apache.arrow.stream',
  arrow: 'application/vnd.apache.arrow.file',
  json: 'application/json',
};

const FILE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

export function sampleMediaType(file: string): string | undefined {
  const ext = file.slice(file.lastIndexOf('.') + 1).toLowerCase();
  return Object.hasOwn(SAMPLE_MEDIA_TYPES, ext) ? SAMPLE_MEDIA_TYPES[ext] : undefined;
}

/** Checks `samples/index.json`; throws an Error naming the first field that is wrong. */
export function parseSampleIndex(value: unknown): SampleIndex {
  const fail = (what: string): never => {
    throw new Error(`${SAMPLE_DIR}/${SAMPLE_INDEX_FILE}: ${what}`);
  };
  const isObject = (v: unknown): v is Record<string, unknown> =>
    typeof v === 'object' && v !== null && !Array.isArray(v);
  if (!isObject(value)) return fail('must be a JSON object');
  if (value['format'] !== SAMPLE_INDEX_FORMAT) fail(`format must be ${JSON.stringify(SAMPLE_INDEX_FORMAT)}`);
  if (typeof value['note'] !== 'string') fail('note must be a string');
  if (!Array.isArray(value['samples'])) return fail('samples must be an array');
  const samples = value['samples'].map((entry: unknown, i): SampleClip => {
    if (!isObject(entry)) return fail(`samples[${i}] must be an object`);
    const { file, title, sign, frames, fps } = entry;
    if (typeof file !== 'string' || !FILE_NAME.test(file) || sampleMediaType(file) === undefined)
      fail(`samples[${i}].file must be a plain .parquet, .arrows, .arrow or .json file name`);
    if (typeof title !== 'string' || title.length === 0)
      fail(`samples[${i}].title must be a non-empty string`);
    if (sign !== undefined && typeof sign !== 'string') fail(`samples[${i}].sign must be a string`);
    if (typeof frames !== 'number' || !Number.isSafeInteger(frames) || frames <= 0)
      fail(`samples[${i}].frames must be a positive integer`);
    if (typeof fps !== 'number' || !(fps > 0 && fps <= 240)) fail(`samples[${i}].fps must be in (0, 240]`);
    return {
      file: file as string,
      title: title as string,
      ...(sign === undefined ? {} : { sign: sign as string }),
      frames: frames as number,
      fps: fps as number,
    };
  });
  return { format: SAMPLE_INDEX_FORMAT, note: value['note'] as string, samples };
}
