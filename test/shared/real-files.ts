import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

/** The real Kaggle files live beside the repository (../shared/asl-real from its root), never inside it. */
export const REAL_DIR = fileURLToPath(new URL('../../../shared/asl-real/', import.meta.url));

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
