import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { basename } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConfigError } from './config-error.ts';
import type { SignCastConfig } from './config-schema.ts';
import { validateConfig } from './validate-config.ts';

/** The repository's `presets/` folder, found from this file so it works from any working directory. */
export const PRESETS_DIR = fileURLToPath(new URL('../../../../presets/', import.meta.url));

/** Names of the shipped presets (`presets/<name>.json`), sorted. */
export function listPresets(): string[] {
  return readdirSync(PRESETS_DIR)
    .filter((f) => f.endsWith('.json'))
    .map((f) => basename(f, '.json'))
    .sort();
}

/** A bare name means `presets/<name>.json`; anything with a slash or a .json suffix is a file path. */
export function presetPath(nameOrPath: string): string {
  const isPath = nameOrPath.includes('/') || nameOrPath.includes('\\') || nameOrPath.endsWith('.json');
  return isPath ? nameOrPath : `${PRESETS_DIR}${nameOrPath}.json`;
}

export function loadPreset(nameOrPath: string): SignCastConfig {
  const path = presetPath(nameOrPath);
  if (!existsSync(path)) {
    throw new ConfigError(nameOrPath, [
      {
        code: 'preset_not_found',
        key: '',
        detail: `no such preset or file (${path}); shipped presets: ${listPresets().join(', ')}`,
      },
    ]);
  }
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new ConfigError(path, [{ code: 'unreadable', key: '', detail: (err as Error).message }]);
  }
  return validateConfig(value, path);
}
