import { GROUP_NAMES, GROUPS, PREPROCESS_VERSION, type GroupName } from './constants.ts';
import { StatsError } from './stats-error.ts';
import type { GroupStats, NormalizationStats } from './stats.ts';

/**
 * Checks a parsed stats.json (or a manifest's `preprocess.stats`) and returns a clean copy: the
 * preprocessing version must be this code's, every group must have one finite [x, y] mean and one
 * positive finite [x, y] std per point.
 */
export function validateStats(value: unknown, source = 'normalisation stats'): NormalizationStats {
  const record = asRecord(value, source, 'stats');
  const version = record['preprocessVersion'];
  if (typeof version !== 'string')
    throw new StatsError('invalid_stats', source, 'preprocessVersion is not a string');
  if (version !== PREPROCESS_VERSION) {
    throw new StatsError(
      'version_mismatch',
      source,
      `computed for ${version}, this code runs ${PREPROCESS_VERSION}`,
    );
  }
  const clips = record['clips'];
  if (!(typeof clips === 'number' && Number.isSafeInteger(clips) && clips >= 0)) {
    throw new StatsError('invalid_stats', source, 'clips is not a non-negative integer');
  }
  const groupsValue = asRecord(record['groups'], source, 'groups');
  const groups = {} as Record<GroupName, GroupStats>;
  for (const name of GROUP_NAMES) {
    const group = asRecord(groupsValue[name], source, `groups.${name}`);
    const count = GROUPS[name].count;
    groups[name] = {
      mean: pairs(group['mean'], count, false, source, `groups.${name}.mean`),
      std: pairs(group['std'], count, true, source, `groups.${name}.std`),
    };
  }
  return { preprocessVersion: version, clips, groups };
}

function asRecord(value: unknown, source: string, what: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new StatsError('invalid_stats', source, `${what} is not an object`);
  }
  return value as Record<string, unknown>;
}

function pairs(
  value: unknown,
  count: number,
  positive: boolean,
  source: string,
  what: string,
): (readonly [number, number])[] {
  if (!Array.isArray(value) || value.length !== count) {
    throw new StatsError('invalid_stats', source, `${what} must be an array of ${count} [x, y] pairs`);
  }
  return value.map((pair: unknown, i) => {
    if (!Array.isArray(pair) || pair.length !== 2) {
      throw new StatsError('invalid_stats', source, `${what}[${i}] is not an [x, y] pair`);
    }
    const [x, y] = pair as unknown[];
    if (!isNumberIn(x, positive) || !isNumberIn(y, positive)) {
      throw new StatsError(
        'invalid_stats',
        source,
        `${what}[${i}] must be ${positive ? 'positive ' : ''}finite numbers`,
      );
    }
    return [x, y] as const;
  });
}

function isNumberIn(value: unknown, positive: boolean): value is number {
  return typeof value === 'number' && Number.isFinite(value) && (!positive || value > 0);
}
