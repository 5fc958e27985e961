import { GROUP_NAMES, GROUPS, PREPROCESS_VERSION, type GroupName } from './constants.ts';
import type { GroupStats, NormalizationStats } from './stats.ts';

/** Mean 0, std 1 everywhere: normalisation that changes nothing, for tests and untrained bundles. */
export function neutralStats(): NormalizationStats {
  const groups = {} as Record<GroupName, GroupStats>;
  for (const name of GROUP_NAMES) {
    const { count } = GROUPS[name];
    groups[name] = {
      mean: Array.from({ length: count }, () => [0, 0] as const),
      std: Array.from({ length: count }, () => [1, 1] as const),
    };
  }
  return { preprocessVersion: PREPROCESS_VERSION, clips: 0, groups };
}
