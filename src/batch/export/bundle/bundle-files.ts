import { MANIFEST_FILE, type ModelVariant } from '../../../shared/bundle/manifest.ts';

/** The model files an export writes into a bundle folder beside the manifest; anything else there is left alone. */
export const MODEL_FILES: Readonly<Record<ModelVariant, string>> = {
  float32: 'model.onnx',
  int8: 'model.int8.onnx',
};

export function isBundleFile(name: string): boolean {
  return name === MANIFEST_FILE || Object.values(MODEL_FILES).includes(name);
}
