import { StatsAccumulator } from '../../../shared/preprocess/stats-accumulator.ts';
import type { StatsAccumulatorState } from '../../../shared/preprocess/stats-accumulator.ts';
import type { NormalizationStats } from '../../../shared/preprocess/stats.ts';
import { DatasetError } from './dataset-error.ts';

/**
 * `participant-stats.json`: one StatsAccumulator state per participant. Accumulators merge exactly, so
 * the statistics of any set of signers (a training split that holds some out) come from these few
 * kilobytes instead of another pass over the frames.
 */
export interface ParticipantStatsFile {
  readonly preprocessVersion: string;
  /** Keyed by participant id (as a decimal string, JSON keys being strings). */
  readonly participants: Readonly<Record<string, StatsAccumulatorState>>;
}

export function parseParticipantStats(value: unknown, source: string): ParticipantStatsFile {
  if (typeof value !== 'object' || value === null) {
    throw new DatasetError('stats_invalid', source, 'not a JSON object');
  }
  const file = value as Partial<ParticipantStatsFile>;
  if (
    typeof file.preprocessVersion !== 'string' ||
    typeof file.participants !== 'object' ||
    file.participants === null
  ) {
    throw new DatasetError('stats_invalid', source, 'expected {preprocessVersion, participants}');
  }
  for (const key of Object.keys(file.participants)) {
    if (!/^\d+$/.test(key))
      throw new DatasetError('stats_invalid', source, `participant key "${key}" is not an id`);
  }
  return file as ParticipantStatsFile;
}

/** Merges the accumulators of the chosen participants (all when `include` is omitted). */
export function accumulateParticipants(
  file: ParticipantStatsFile,
  include: (participantId: number) => boolean = () => true,
): StatsAccumulator {
  const total = new StatsAccumulator();
  for (const [key, state] of Object.entries(file.participants)) {
    if (include(Number(key))) total.merge(StatsAccumulator.fromJSON(state, `participant ${key}`));
  }
  return total;
}

/** Normalisation statistics over the chosen participants only, e.g. the training split's signers. */
export function statsForParticipants(
  file: ParticipantStatsFile,
  include: (participantId: number) => boolean,
): NormalizationStats {
  return accumulateParticipants(file, include).finish();
}
