import * as op from '../onnx/ops/index.ts';
import { tensorData } from '../onnx/tensor-data.ts';
import type { Tensor } from '../onnx/tensor.ts';
import { GROUP_NAMES, GROUPS, N_POINTS } from '../../shared/preprocess/constants.ts';
import type { GroupName } from '../../shared/preprocess/constants.ts';
import type { NormalizationStats } from '../../shared/preprocess/stats.ts';
import type { ModelContext } from './model-context.ts';
import { toActivationType, toParameterType } from './model-context.ts';

/** One landmark group, flattened per frame: [R, points x 2] (packed frames). */
export type LandmarkGroups = Readonly<Record<GroupName, Tensor>>;

/**
 * The baseline's input normalisation: keep x and y, normalise each point's coordinate with the
 * training statistics, (v - mean) / std, except where v is 0 (missing landmark or padding), which stays
 * 0; then split into the lips, hand and pose groups and flatten each frame's points.
 * frames: packed [R, points, coords].
 */
export function normalizeLandmarks(
  ctx: ModelContext,
  frames: Tensor,
  stats: NormalizationStats,
): LandmarkGroups {
  const g = ctx.graph;
  return g.scope('normalize', () => {
    const mean: number[] = [];
    const std: number[] = [];
    for (const name of GROUP_NAMES) {
      for (const [x, y] of stats.groups[name].mean) mean.push(x, y);
      for (const [x, y] of stats.groups[name].std) std.push(x, y);
    }
    const xy = op.slice(frames, [0], [2], [-1]);
    const v = toParameterType(ctx, xy);
    const meanT = g.constant(tensorData(ctx.parameterDType, mean, [N_POINTS, 2]), 'mean');
    const stdT = g.constant(tensorData(ctx.parameterDType, std, [N_POINTS, 2]), 'std');
    const normalized = toActivationType(
      ctx,
      op.where(op.equal(v, 0), 0, op.div(op.sub(v, meanT), stdT)),
      'normalized',
    );
    const parts = op.split(
      normalized,
      GROUP_NAMES.map((n) => GROUPS[n].count),
      -2,
    );
    const groups = {} as Record<GroupName, Tensor>;
    GROUP_NAMES.forEach((name, i) => {
      groups[name] = op.reshape(parts[i]!, [0, GROUPS[name].count * 2], { name });
    });
    return groups;
  });
}
