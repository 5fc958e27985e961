/**
 * A small model and a batch for it, shared by the model and artifact tests: the baseline's
 * architecture at toy sizes (units 16, 2 heads, landmark units 8, 5 classes, 16 frames), with clips of
 * different lengths, padding, and landmark groups missing in some kept frames.
 */
import { resolveConfig } from '../../../src/batch/model/config/resolve-config.ts';
import { FramePacker, packedFeeds } from '../../../src/batch/model/frame-packing.ts';
import type { FrameMasking, PackedBatch, PaddedClip } from '../../../src/batch/model/frame-packing.ts';
import type { NoiseStreamSpec } from '../../../src/batch/onnx/noise/noise-source.ts';
import { NoiseFeeds } from '../../../src/batch/onnx/noise/noise-source.ts';
import { streamKey } from '../../../src/batch/random/counter-hash.ts';
import type { SignCastConfig } from '../../../src/batch/model/config/config-schema.ts';
import type { TensorData } from '../../../src/batch/onnx/tensor-data.ts';
import { tensorData } from '../../../src/batch/onnx/tensor-data.ts';
import { GROUPS } from '../../../src/shared/preprocess/constants.ts';
import type { GroupName } from '../../../src/shared/preprocess/constants.ts';
import type { NormalizationStats } from '../../../src/shared/preprocess/stats.ts';
import { neutralStats } from '../../../src/shared/preprocess/neutral-stats.ts';
import { rng } from '../autodiff/gradcheck.ts';

export const SMALL = ['units=16', 'heads=2', 'landmark_units=8', 'classes=5', 'frames=16', 'blocks=2'];
export const NO_RANDOMNESS = ['mlp_dropout=0', 'classifier_dropout=0', 'frame_mask=0'];

export function smallConfig(...overrides: string[]): SignCastConfig {
  return resolveConfig('baseline', [...SMALL, ...overrides]);
}

/** Non-trivial statistics, so that normalisation is exercised (neutral ones change nothing). */
export function smallStats(): NormalizationStats {
  const base = neutralStats();
  const r = rng(77);
  const groups = Object.fromEntries(
    Object.entries(base.groups).map(([name, gs]) => [
      name,
      {
        mean: gs.mean.map(() => [0.4 + 0.2 * r(), 0.4 + 0.2 * r()] as const),
        std: gs.std.map(() => [0.05 + 0.2 * r(), 0.05 + 0.2 * r()] as const),
      },
    ]),
  ) as unknown as NormalizationStats['groups'];
  return { ...base, clips: 10, groups };
}

export interface SmallBatch {
  readonly frames: TensorData;
  readonly non_empty_frame_idxs: TensorData;
  readonly labels: TensorData;
}

function zeroGroup(frames: Float32Array, t: number, frameCount: number, b: number, group: GroupName): void {
  const { start, count } = GROUPS[group];
  for (let p = start; p < start + count; p++) {
    for (let c = 0; c < 3; c++) frames[((b * frameCount + t) * 66 + p) * 3 + c] = 0;
  }
}

/**
 * `batch` clips: clip b has 4 + 3b real frames (the rest padding, all zeros, index -1), landmark
 * values in [0.3, 0.7] like MediaPipe's, and the hand missing in every third frame, the pose in every
 * fifth and the lips in frame 1. Labels cycle through the classes.
 */
export function smallBatch(config: SignCastConfig, batch: number, seed = 5): SmallBatch {
  const T = config.model.frames;
  const r = rng(seed);
  const frames = new Float32Array(batch * T * 66 * 3);
  const idxs = new Float32Array(batch * T).fill(-1);
  for (let b = 0; b < batch; b++) {
    const real = Math.min(T, 4 + 3 * b);
    for (let t = 0; t < real; t++) {
      idxs[b * T + t] = t * 2 + (b % 2);
      for (let k = 0; k < 66 * 3; k++) frames[(b * T + t) * 66 * 3 + k] = 0.3 + 0.4 * r();
      if (t % 3 === 2) zeroGroup(frames, t, T, b, 'hand');
      if (t % 5 === 4) zeroGroup(frames, t, T, b, 'pose');
      if (t === 1) zeroGroup(frames, t, T, b, 'lips');
    }
  }
  return {
    frames: tensorData('float32', frames, [batch, T, 66, 3]),
    non_empty_frame_idxs: tensorData('float32', idxs, [batch, T]),
    labels: tensorData(
      'int64',
      Array.from({ length: batch }, (_, b) => b % config.model.classes),
    ),
  };
}

/** The clips of a SmallBatch one by one, as the trainer reads them from a dataset. */
export function smallClips(batch: SmallBatch): PaddedClip[] {
  const [n, T] = batch.non_empty_frame_idxs.dims as [number, number];
  const frames = batch.frames.data as Float32Array;
  const idxs = batch.non_empty_frame_idxs.data as Float32Array;
  const labels = batch.labels.data as BigInt64Array;
  return Array.from({ length: n }, (_, b) => ({
    frames: frames.subarray(b * T * 198, (b + 1) * T * 198),
    nonEmptyFrameIdxs: idxs.subarray(b * T, (b + 1) * T),
    label: Number(labels[b]!),
  }));
}

/** A SmallBatch packed for the train and eval graphs (frame masking drawn when given). */
export function smallPacked(
  config: SignCastConfig,
  batch: SmallBatch,
  masking: FrameMasking | null = null,
): { readonly packed: PackedBatch; readonly feeds: Record<string, TensorData> } {
  const clips = smallClips(batch);
  const packed = new FramePacker(clips.length, config.model.frames).pack(
    clips.length,
    (i) => clips[i]!,
    masking,
  );
  return { packed, feeds: packedFeeds(packed, config.model.frames) };
}

/** The train graph's feeds for (seed, step): the packed batch with frame masking, and the noise streams. */
export function smallTrainFeeds(
  config: SignCastConfig,
  batch: SmallBatch,
  streams: readonly NoiseStreamSpec[],
  seed: number,
  step: number,
): Record<string, TensorData> {
  const masking =
    config.model.frame_mask > 0 ? { key: streamKey(seed, step, 0), keep: 1 - config.model.frame_mask } : null;
  const { packed, feeds } = smallPacked(config, batch, masking);
  const n = packed.batch;
  const noise = new NoiseFeeds(streams, { batch: n, rows: n * config.model.frames }).fill(
    (stream) => streamKey(seed, step, stream),
    { batch: n, slots: packed.slots },
  );
  return { ...feeds, ...noise };
}
