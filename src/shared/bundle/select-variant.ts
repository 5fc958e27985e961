import { BundleError } from './bundle-error.ts';
import type { BundleFile, BundleManifest, ModelVariant } from './manifest.ts';

/** What a loader asks for: a variant by name, or `auto` (int8 when the bundle has it: smaller, faster). */
export type VariantPreference = ModelVariant | 'auto';

export function isVariantPreference(value: string): value is VariantPreference {
  return value === 'auto' || value === 'float32' || value === 'int8';
}

export function selectVariant(
  manifest: BundleManifest,
  preference: VariantPreference,
): { variant: ModelVariant; file: BundleFile } {
  const order: readonly ModelVariant[] = preference === 'auto' ? ['int8', 'float32'] : [preference];
  for (const variant of order) {
    const file = manifest.files[variant];
    if (file) return { variant, file };
  }
  throw new BundleError(
    'variant_missing',
    `bundle ${manifest.modelId} has no ${preference === 'auto' ? 'model file' : `${preference} model`}`,
  );
}
