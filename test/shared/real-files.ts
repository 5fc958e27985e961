import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join, resolve } from 'node:path';

/** Names the folder of real Kaggle clips; relative paths are taken from the repository root. */
export const REAL_DATA_ENV = 'SIGNCAST_REAL_DATA';
/** Set to 1 (as .ci/run does) to make missing real clips a failure instead of a skip. */
export const REQUIRE_REAL_DATA_ENV = 'SIGNCAST_REQUIRE_REAL_DATA';

const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** The real Kaggle files live beside the repository (../shared/asl-real from its root), never inside it. */
export const REAL_DIR = resolve(REPO_ROOT, process.env[REAL_DATA_ENV] || '../shared/asl-real');

/**
 * Whether the real clips are here. Suites that read them are declared with
 * `describe.skipIf(!hasRealData)` and read nothing before their hooks run, so a clone without the
 * folder collects them as skipped instead of failing on ENOENT.
 */
export const hasRealData =
  existsSync(join(REAL_DIR, 'train.csv')) && existsSync(join(REAL_DIR, 'train_landmark_files'));

const HOW_TO_PROVIDE =
  `Put the asl-real folder (train.csv, unlabeled.csv, FILES.tsv, sign_to_prediction_index_map.json, ` +
  `train_landmark_files/) there, or set ${REAL_DATA_ENV}=<folder>.`;

/** The one line a run prints when the real clips are absent. */
export const REAL_DATA_NOTICE = `real Kaggle clips not found at ${REAL_DIR}: the tests that read them are skipped. ${HOW_TO_PROVIDE}`;

const NOTICE_GIVEN = Symbol.for('signcast.realDataNoticeGiven');

/**
 * Called by each vitest project's global setup: a failure where the clips are required, else one
 * notice per run however many projects ask (global setups share the main process).
 */
export function checkRealData(): void {
  if (hasRealData) return;
  if (process.env[REQUIRE_REAL_DATA_ENV] === '1')
    throw new Error(
      `${REQUIRE_REAL_DATA_ENV}=1 requires the real Kaggle clips, and they are not at ${REAL_DIR}. ${HOW_TO_PROVIDE}`,
    );
  const flags = globalThis as Record<symbol, unknown>;
  if (flags[NOTICE_GIVEN]) return;
  flags[NOTICE_GIVEN] = true;
  console.warn(`NOTICE: ${REAL_DATA_NOTICE}`);
}

export interface RealFileFacts {
  readonly path: string;
  readonly rows: number;
  readonly frames: number;
  readonly frameMin: number;
  readonly frameMax: number;
  readonly nullFraction: Readonly<Record<'face' | 'left_hand' | 'pose' | 'right_hand', number>>;
}

/** FILES.tsv: the physical facts of each real file, measured independently of this project's reader. */
export function realFileFacts(): RealFileFacts[] {
  const [header, ...lines] = readFileSync(join(REAL_DIR, 'FILES.tsv'), 'utf8').trim().split('\n');
  const names = header!.split('\t');
  return lines.map((line) => {
    const cells = line.split('\t');
    const get = (name: string): string => {
      const i = names.indexOf(name);
      if (i < 0) throw new Error(`FILES.tsv has no column ${name}`);
      return cells[i]!;
    };
    return {
      path: get('path'),
      rows: Number(get('rows')),
      frames: Number(get('frames')),
      frameMin: Number(get('frame_min')),
      frameMax: Number(get('frame_max')),
      nullFraction: {
        face: Number(get('null_face')),
        left_hand: Number(get('null_left_hand')),
        pose: Number(get('null_pose')),
        right_hand: Number(get('null_right_hand')),
      },
    };
  });
}

export function realParquetPaths(): string[] {
  const root = join(REAL_DIR, 'train_landmark_files');
  return readdirSync(root)
    .flatMap((participant) =>
      readdirSync(join(root, participant)).map((f) => `train_landmark_files/${participant}/${f}`),
    )
    .sort();
}

export function readRealFile(path: string): Uint8Array {
  return new Uint8Array(readFileSync(join(REAL_DIR, path)));
}
