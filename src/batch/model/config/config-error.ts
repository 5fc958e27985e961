export type ConfigIssueCode =
  | 'unknown_key'
  | 'missing_key'
  | 'wrong_type'
  | 'out_of_range'
  | 'inconsistent'
  | 'bad_override'
  | 'preset_not_found'
  | 'unreadable';

export interface ConfigIssue {
  readonly code: ConfigIssueCode;
  /** `section.key` the issue is about, or '' for the whole config. */
  readonly key: string;
  readonly detail: string;
}

/**
 * A config (preset file, `--set` override or run-directory copy) that cannot be used. It carries every
 * issue found, so one run of the command shows the user all of them; `code` is the first issue's.
 */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  readonly code: ConfigIssueCode;

  constructor(
    readonly source: string,
    readonly issues: readonly [ConfigIssue, ...ConfigIssue[]],
  ) {
    super(`${source}: ${issues.map((i) => (i.key ? `${i.key}: ${i.detail}` : i.detail)).join('; ')}`);
    this.code = issues[0].code;
  }
}
