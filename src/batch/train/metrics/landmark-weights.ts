import { GROUP_NAMES } from '../../../shared/preprocess/constants.ts';
import type { GroupName } from '../../../shared/preprocess/constants.ts';

/** The parameter the model mixes its landmark groups with (softmax of it), found by this name's suffix. */
export const LANDMARK_WEIGHTS_SUFFIX = 'landmark_weights';

export type LandmarkWeights = Readonly<Record<GroupName, number>>;

/** softmax(weights) in percent per group, in the model's group order (lips, hand, pose). */
export function landmarkWeightPercentages(weights: Float32Array): LandmarkWeights {
  if (weights.length !== GROUP_NAMES.length) {
    throw new RangeError(`${weights.length} landmark weights, expected ${GROUP_NAMES.length}`);
  }
  const top = Math.max(...weights);
  const exps = Array.from(weights, (w) => Math.exp(w - top));
  const total = exps.reduce((a, b) => a + b, 0);
  return Object.fromEntries(GROUP_NAMES.map((g, i) => [g, (100 * exps[i]!) / total])) as Record<
    GroupName,
    number
  >;
}

/** The landmark-weights parameter among the artifacts' parameters, or undefined if the model has none. */
export function landmarkWeightsParameter(names: readonly string[]): string | undefined {
  return names.find((n) => n === LANDMARK_WEIGHTS_SUFFIX || n.endsWith(`/${LANDMARK_WEIGHTS_SUFFIX}`));
}
