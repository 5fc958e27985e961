import { ConfigError } from './config-error.ts';
import type { ConfigIssue } from './config-error.ts';
import { ABSENT_MEANS, CONFIG_SECTIONS, SECTION_RULES } from './config-schema.ts';
import type { ModelConfig, SignCastConfig, TrainConfig } from './config-schema.ts';
import { checkRuleValue } from './value-rule.ts';

/**
 * Turns parsed JSON into a SignCastConfig, or throws one ConfigError listing every problem: unknown keys
 * (with the valid ones), missing keys, wrong types, values out of range and inconsistent combinations.
 * The result is a fresh object in schema key order, so serialising it is stable.
 */
export function validateConfig(value: unknown, source: string): SignCastConfig {
  if (!isRecord(value)) {
    throw new ConfigError(source, [
      { code: 'wrong_type', key: '', detail: 'a config must be a JSON object' },
    ]);
  }
  const issues: ConfigIssue[] = [];
  for (const key of Object.keys(value)) {
    if (!(CONFIG_SECTIONS as readonly string[]).includes(key)) {
      issues.push({
        code: 'unknown_key',
        key,
        detail: `unknown section; valid sections: ${CONFIG_SECTIONS.join(', ')}`,
      });
    }
  }
  const sections: Record<string, Record<string, unknown>> = {};
  for (const section of CONFIG_SECTIONS) {
    sections[section] = validateSection(section, value[section], issues);
  }
  if (issues.length === 0) issues.push(...consistencyIssues(sections as unknown as SignCastConfig));
  const [first, ...rest] = issues;
  if (first) throw new ConfigError(source, [first, ...rest]);
  return { model: sections.model as unknown as ModelConfig, train: sections.train as unknown as TrainConfig };
}

function validateSection(
  section: keyof SignCastConfig,
  raw: unknown,
  issues: ConfigIssue[],
): Record<string, unknown> {
  const rules = SECTION_RULES[section];
  const out: Record<string, unknown> = {};
  if (raw === undefined) {
    issues.push({ code: 'missing_key', key: section, detail: 'section missing' });
    return out;
  }
  if (!isRecord(raw)) {
    issues.push({ code: 'wrong_type', key: section, detail: 'must be a JSON object' });
    return out;
  }
  for (const key of Object.keys(raw)) {
    if (!Object.hasOwn(rules, key)) {
      issues.push({
        code: 'unknown_key',
        key: `${section}.${key}`,
        detail: `unknown key; valid ${section} keys: ${Object.keys(rules).join(', ')}`,
      });
    }
  }
  for (const [key, rule] of Object.entries(rules)) {
    if (!Object.hasOwn(raw, key)) {
      if (Object.hasOwn(ABSENT_MEANS[section], key)) out[key] = ABSENT_MEANS[section][key];
      else issues.push({ code: 'missing_key', key: `${section}.${key}`, detail: 'missing' });
      continue;
    }
    const check = checkRuleValue(rule, raw[key]);
    if (check.ok) out[key] = check.value;
    else issues.push({ code: check.code, key: `${section}.${key}`, detail: check.detail });
  }
  return out;
}

/** Rules that tie keys together; only meaningful once every key is individually valid. */
export function consistencyIssues(config: SignCastConfig): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const { model, train } = config;
  if (model.units % model.heads !== 0) {
    issues.push({
      code: 'inconsistent',
      key: 'model.units',
      detail: `units ${model.units} is not divisible by heads ${model.heads}`,
    });
  }
  if (train.warmup_epochs > train.epochs) {
    issues.push({
      code: 'inconsistent',
      key: 'train.warmup_epochs',
      detail: `warmup_epochs ${train.warmup_epochs} exceeds epochs ${train.epochs}`,
    });
  }
  return issues;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
