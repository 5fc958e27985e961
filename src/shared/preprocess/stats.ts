import type { GroupName } from './constants.ts';

/**
 * Per-point normalisation statistics of x and y (as in the baseline: mean and std over the non-zero
 * values of each point's coordinate across the training split). `mean[i]` / `std[i]` are [x, y] for
 * point i of the group.
 */
export interface GroupStats {
  readonly mean: readonly (readonly [number, number])[];
  readonly std: readonly (readonly [number, number])[];
}

export interface NormalizationStats {
  readonly preprocessVersion: string;
  /** How many clips the statistics were computed from (0 for the neutral defaults). */
  readonly clips: number;
  readonly groups: Readonly<Record<GroupName, GroupStats>>;
}
