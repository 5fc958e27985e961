import {
  GROUP_NAMES,
  GROUPS,
  INPUT_SIZE,
  N_COORDS,
  N_POINTS,
  PREPROCESS_VERSION,
  type GroupName,
} from './constants.ts';
import { COORDINATE_LIMIT } from '../limits.ts';
import { StatsError } from './stats-error.ts';
import type { ModelInputs } from './model-inputs.ts';
import type { GroupStats, NormalizationStats } from './stats.ts';

export { neutralStats } from './neutral-stats.ts';
export { validateStats } from './validate-stats.ts';

/** x and y of each of the 66 model points: slot = point * 2 + coordinate. */
const SLOTS = N_POINTS * 2;

/**
 * Whether a model input value is one a real clip can produce: the readers refuse coordinates beyond
 * COORDINATE_LIMIT, and preprocessing only averages them and may mirror x to 1 - x. A value outside
 * that (a shard written before the readers checked, a caller that skipped them) is left out of the
 * statistics: one clip of x = 1e19 once moved every point's mean to 4.5e28.
 */
function isPlausibleInput(coordinate: number, value: number): boolean {
  return coordinate === 0
    ? Math.abs(value - 0.5) <= COORDINATE_LIMIT[0] + 0.5
    : Math.abs(value) <= COORDINATE_LIMIT[1];
}

/**
 * A StatsAccumulator as plain JSON, so that worker threads and per-participant files can carry it.
 * Per slot (point * 2 + coordinate, coordinate 0 = x, 1 = y): how many non-zero values were seen,
 * their mean, and the sum of squared deviations from it (Welford/Chan), all float64.
 */
export interface StatsAccumulatorState {
  readonly preprocessVersion: string;
  readonly clips: number;
  readonly count: readonly number[];
  readonly mean: readonly number[];
  readonly m2: readonly number[];
}

/**
 * Normalisation statistics over a set of clips, as the baseline computes them: for every point of each
 * group (lips, hand, pose), the mean and population std of x and of y over all NON-ZERO values in all
 * frames (zeros are missing points and padding). Accumulators merge, so worker threads or participants
 * can be accumulated apart and combined; mean/M2 form keeps the std exact when values barely vary.
 */
export class StatsAccumulator {
  private clips = 0;
  private readonly count = new Float64Array(SLOTS);
  private readonly mean = new Float64Array(SLOTS);
  private readonly m2 = new Float64Array(SLOTS);

  add(inputs: ModelInputs): void {
    const { frames } = inputs;
    if (frames.length !== INPUT_SIZE * N_POINTS * N_COORDS) {
      throw new RangeError(
        `frames holds ${frames.length} values, expected ${INPUT_SIZE} x ${N_POINTS} x ${N_COORDS}`,
      );
    }
    for (let t = 0; t < INPUT_SIZE; t++) {
      for (let p = 0; p < N_POINTS; p++) {
        for (let c = 0; c < 2; c++) {
          const value = frames[(t * N_POINTS + p) * N_COORDS + c]!;
          if (value !== 0 && isPlausibleInput(c, value)) this.addValue(p * 2 + c, value);
        }
      }
    }
    this.clips++;
  }

  merge(other: StatsAccumulator): void {
    for (let s = 0; s < SLOTS; s++) {
      const nb = other.count[s]!;
      if (nb === 0) continue;
      const na = this.count[s]!;
      const n = na + nb;
      const delta = other.mean[s]! - this.mean[s]!;
      this.mean[s] = this.mean[s]! + (delta * nb) / n;
      this.m2[s] = this.m2[s]! + other.m2[s]! + (delta * delta * na * nb) / n;
      this.count[s] = n;
    }
    this.clips += other.clips;
  }

  toJSON(): StatsAccumulatorState {
    return {
      preprocessVersion: PREPROCESS_VERSION,
      clips: this.clips,
      count: Array.from(this.count),
      mean: Array.from(this.mean),
      m2: Array.from(this.m2),
    };
  }

  static fromJSON(state: unknown, source = 'stats accumulator state'): StatsAccumulator {
    if (typeof state !== 'object' || state === null)
      throw new StatsError('invalid_stats', source, 'not an object');
    const s = state as Partial<Record<keyof StatsAccumulatorState, unknown>>;
    if (s.preprocessVersion !== PREPROCESS_VERSION) {
      throw new StatsError(
        'version_mismatch',
        source,
        `computed for ${String(s.preprocessVersion)}, this code runs ${PREPROCESS_VERSION}`,
      );
    }
    if (!(typeof s.clips === 'number' && Number.isSafeInteger(s.clips) && s.clips >= 0)) {
      throw new StatsError('invalid_stats', source, 'clips is not a non-negative integer');
    }
    const count = slotArray(s.count, source, 'count', (v) => Number.isSafeInteger(v) && v >= 0);
    const mean = slotArray(s.mean, source, 'mean', Number.isFinite);
    const m2 = slotArray(s.m2, source, 'm2', (v) => Number.isFinite(v) && v >= 0);
    const accumulator = new StatsAccumulator();
    accumulator.clips = s.clips;
    accumulator.count.set(count);
    accumulator.mean.set(mean);
    accumulator.m2.set(m2);
    return accumulator;
  }

  /** Per point: mean and population std; a point never seen gets mean 0 and std 1, a constant one std 1. */
  finish(): NormalizationStats {
    const groups = {} as Record<GroupName, GroupStats>;
    for (const name of GROUP_NAMES) {
      const { start, count } = GROUPS[name];
      const mean: (readonly [number, number])[] = [];
      const std: (readonly [number, number])[] = [];
      for (let p = start; p < start + count; p++) {
        mean.push([this.slotMean(p * 2), this.slotMean(p * 2 + 1)]);
        std.push([this.slotStd(p * 2), this.slotStd(p * 2 + 1)]);
      }
      groups[name] = { mean, std };
    }
    return { preprocessVersion: PREPROCESS_VERSION, clips: this.clips, groups };
  }

  private addValue(slot: number, value: number): void {
    const n = this.count[slot]! + 1;
    const delta = value - this.mean[slot]!;
    const mean = this.mean[slot]! + delta / n;
    this.m2[slot] = this.m2[slot]! + delta * (value - mean);
    this.mean[slot] = mean;
    this.count[slot] = n;
  }

  private slotMean(slot: number): number {
    return this.count[slot] === 0 ? 0 : this.mean[slot]!;
  }

  private slotStd(slot: number): number {
    const n = this.count[slot]!;
    const std = n === 0 ? 0 : Math.sqrt(this.m2[slot]! / n);
    // Normalisation divides by std: a point with no spread (or never seen) is left unscaled.
    return std > 0 ? std : 1;
  }
}

function slotArray(value: unknown, source: string, what: string, ok: (v: number) => boolean): number[] {
  if (!Array.isArray(value) || value.length !== SLOTS) {
    throw new StatsError('invalid_stats', source, `${what} must be an array of ${SLOTS} numbers`);
  }
  for (const v of value) {
    if (typeof v !== 'number' || !ok(v))
      throw new StatsError('invalid_stats', source, `${what} holds ${String(v)}`);
  }
  return value as number[];
}
