import type { ConfigIssueCode } from './config-error.ts';
import type { ValueRule } from './config-schema.ts';

export type RuleValue = number | boolean | string;

export type RuleCheck =
  | { readonly ok: true; readonly value: RuleValue }
  | { readonly ok: false; readonly code: ConfigIssueCode; readonly detail: string };

/** Human text for error messages, e.g. "an integer >= 1" or "one of log, exp". */
export function describeRule(rule: ValueRule): string {
  switch (rule.kind) {
    case 'int':
      return rule.max === undefined
        ? `an integer >= ${rule.min}`
        : `an integer in [${rule.min}, ${rule.max}]`;
    case 'number': {
      const lo = `${rule.minExclusive ? '(' : '['}${rule.min}`;
      const hi = rule.max === undefined ? 'inf)' : `${rule.max}${rule.maxExclusive ? ')' : ']'}`;
      return `a number in ${lo}, ${hi}`;
    }
    case 'boolean':
      return 'true or false';
    case 'enum':
      return `one of ${rule.values.join(', ')}`;
  }
}

/** Checks a value already parsed from JSON against its rule. */
export function checkRuleValue(rule: ValueRule, value: unknown): RuleCheck {
  const wrongType = (): RuleCheck => ({
    ok: false,
    code: 'wrong_type',
    detail: `${JSON.stringify(value) ?? String(value)} is not ${describeRule(rule)}`,
  });
  const outOfRange = (): RuleCheck => ({
    ok: false,
    code: 'out_of_range',
    detail: `${JSON.stringify(value)} is not ${describeRule(rule)}`,
  });
  switch (rule.kind) {
    case 'int':
      if (typeof value !== 'number' || !Number.isSafeInteger(value)) return wrongType();
      if (value < rule.min || (rule.max !== undefined && value > rule.max)) return outOfRange();
      return { ok: true, value };
    case 'number': {
      if (typeof value !== 'number' || !Number.isFinite(value)) return wrongType();
      const belowMin = rule.minExclusive ? value <= rule.min : value < rule.min;
      const aboveMax = rule.max !== undefined && (rule.maxExclusive ? value >= rule.max : value > rule.max);
      return belowMin || aboveMax ? outOfRange() : { ok: true, value };
    }
    case 'boolean':
      return typeof value === 'boolean' ? { ok: true, value } : wrongType();
    case 'enum':
      if (typeof value !== 'string') return wrongType();
      return rule.values.includes(value) ? { ok: true, value } : outOfRange();
  }
}

// Plain decimal or scientific notation only: Number() would also take '', ' 1', '0x10', 'Infinity'.
const NUMBER_TEXT = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** Parses the text of `--set key=value` by the key's rule, then checks it like a JSON value. */
export function parseRuleText(rule: ValueRule, text: string): RuleCheck {
  switch (rule.kind) {
    case 'int':
    case 'number':
      return checkRuleValue(rule, NUMBER_TEXT.test(text) ? Number(text) : text);
    case 'boolean':
      return checkRuleValue(rule, text === 'true' ? true : text === 'false' ? false : text);
    case 'enum':
      return checkRuleValue(rule, text);
  }
}
