import { applyOverrides } from './apply-overrides.ts';
import type { SignCastConfig } from './config-schema.ts';
import { loadPreset } from './load-preset.ts';

/** What `--preset <name|path>` plus repeated `--set key=value` resolve to (shared by artifacts and train). */
export function resolveConfig(preset: string, overrides: readonly string[] = []): SignCastConfig {
  return applyOverrides(loadPreset(preset), overrides);
}
