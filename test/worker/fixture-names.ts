import type { ClipFormat } from '../../scripts/worker/clip-encodings.ts';

/** Bundle folders global-setup.ts writes into the test assets; only `good` is intact. */
export const BUNDLES = {
  good: 'fixture',
  float32Only: 'float32-only',
  oldPreprocess: 'old-preprocess',
  tampered: 'tampered',
  truncated: 'truncated',
  badManifest: 'bad-manifest',
  wrongFormat: 'wrong-format',
  wrongOutput: 'wrong-output',
  missingFile: 'missing-file',
  notOnnx: 'not-onnx',
  /** Intact, but its model answers NaN for every clip. */
  nanOutput: 'nan-output',
} as const;

export const CLIPS_DIR = 'clips';

/** Bodies in CLIPS_DIR that must be refused. */
export const BAD_CLIPS = {
  infiniteParquet: 'bad-infinite.parquet',
  infiniteArrow: 'bad-infinite.arrows',
  truncatedParquet: 'bad-truncated.parquet',
} as const;

/** A clip body in the test assets, and onnxruntime-node's probabilities for it, per variant. */
export interface ExpectedClip {
  readonly name: string;
  readonly format: ClipFormat;
  readonly mediaType: string;
  readonly real: boolean;
  readonly frames: number;
  readonly expected: { readonly float32: number[]; readonly int8: number[] };
}
