import { CONFIG_SECTIONS, SECTION_RULES } from './config-schema.ts';
import type { SignCastConfig } from './config-schema.ts';

/**
 * The config as JSON in schema order (sections, then keys), two-space indented with a final newline: the
 * same config always gives the same bytes, whatever order its object was built in, so run directories and
 * artifact folders can be compared or hashed. Numbers use JavaScript's shortest round-trip form.
 */
export function serializeConfig(config: SignCastConfig): string {
  const ordered: Record<string, Record<string, unknown>> = {};
  for (const section of CONFIG_SECTIONS) {
    const values = config[section] as unknown as Record<string, unknown>;
    ordered[section] = Object.fromEntries(Object.keys(SECTION_RULES[section]).map((k) => [k, values[k]]));
  }
  return `${JSON.stringify(ordered, null, 2)}\n`;
}
