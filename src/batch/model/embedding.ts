import * as op from '../onnx/ops/index.ts';
import type { Tensor } from '../onnx/tensor.ts';
import type { ModelConfig } from './config/config-schema.ts';
import { dense } from './dense.ts';
import { gelu } from './gelu.ts';
import { landmarkEmbeddings } from './landmark-embeddings.ts';
import type { FrameRows } from './frame-rows.ts';
import type { ModelContext } from './model-context.ts';
import type { LandmarkGroups } from './normalize-landmarks.ts';
import { positionalEmbedding } from './positional-embedding.ts';

/**
 * Frames to transformer tokens: the weighted landmark-group embeddings, the fully connected
 * Dense(units, no bias, Glorot) -> GELU -> Dense(units, no bias, He), plus the positional embedding.
 * groups: packed frames [R, points x 2] per group -> packed frames [R, units].
 */
export function embedding(
  ctx: ModelContext,
  groups: LandmarkGroups,
  nonEmptyFrameIdxs: Tensor,
  rows: FrameRows,
  config: ModelConfig,
): Tensor {
  return ctx.graph.scope('embedding', () => {
    const merged = landmarkEmbeddings(ctx, groups, config.landmark_units);
    const hidden = gelu(dense(ctx, merged, { units: config.units, name: 'fc1', bias: false }));
    const tokens = dense(ctx, hidden, {
      units: config.units,
      name: 'fc2',
      bias: false,
      kernelInit: 'he_uniform',
    });
    return op.add(tokens, positionalEmbedding(ctx, nonEmptyFrameIdxs, rows, config.frames, config.units));
  });
}
