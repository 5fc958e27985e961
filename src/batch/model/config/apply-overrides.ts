import { ConfigError } from './config-error.ts';
import type { ConfigIssue } from './config-error.ts';
import { CONFIG_SECTIONS, SECTION_RULES, qualifiedKeys } from './config-schema.ts';
import type { ConfigSection, SignCastConfig } from './config-schema.ts';
import { validateConfig } from './validate-config.ts';
import { parseRuleText } from './value-rule.ts';
import type { RuleValue } from './value-rule.ts';

export interface ConfigOverride {
  readonly section: ConfigSection;
  readonly key: string;
  readonly value: RuleValue;
}

export type OverrideParse =
  | { readonly ok: true; readonly override: ConfigOverride }
  | { readonly ok: false; readonly issue: ConfigIssue };

/**
 * Parses one `--set` argument: `key=value` or `section.key=value` (keys are unique across sections, so the
 * section is optional). The value text is parsed by the key's rule: numbers, booleans, enum strings.
 */
export function parseOverride(text: string): OverrideParse {
  const eq = text.indexOf('=');
  if (eq <= 0) {
    return fail('bad_override', text, `expected key=value, got ${JSON.stringify(text)}`);
  }
  const name = text.slice(0, eq).trim();
  const valueText = text.slice(eq + 1).trim();
  const section = sectionOf(name);
  const key = name.includes('.') ? name.slice(name.indexOf('.') + 1) : name;
  if (section === undefined) {
    return fail('unknown_key', name, `unknown key; valid keys: ${qualifiedKeys().join(', ')}`);
  }
  const rule = SECTION_RULES[section][key]!;
  const parsed = parseRuleText(rule, valueText);
  if (!parsed.ok) return fail(parsed.code, `${section}.${key}`, parsed.detail);
  return { ok: true, override: { section, key, value: parsed.value } };
}

/**
 * A new config with every override applied in order (a later one wins), validated as a whole so that a
 * combination like units=500 heads=8 is caught. All bad overrides are reported together.
 */
export function applyOverrides(config: SignCastConfig, overrides: readonly string[]): SignCastConfig {
  const sections = { model: { ...config.model }, train: { ...config.train } } as Record<
    ConfigSection,
    Record<string, unknown>
  >;
  const issues: ConfigIssue[] = [];
  for (const text of overrides) {
    const parsed = parseOverride(text);
    if (parsed.ok) sections[parsed.override.section][parsed.override.key] = parsed.override.value;
    else issues.push(parsed.issue);
  }
  const [first, ...rest] = issues;
  if (first) throw new ConfigError('--set', [first, ...rest]);
  return validateConfig(sections, '--set');
}

function sectionOf(name: string): ConfigSection | undefined {
  const dot = name.indexOf('.');
  if (dot >= 0) {
    const section = name.slice(0, dot);
    const key = name.slice(dot + 1);
    return CONFIG_SECTIONS.find((s) => s === section && Object.hasOwn(SECTION_RULES[s], key));
  }
  return CONFIG_SECTIONS.find((s) => Object.hasOwn(SECTION_RULES[s], name));
}

function fail(code: ConfigIssue['code'], key: string, detail: string): OverrideParse {
  return { ok: false, issue: { code, key, detail } };
}
