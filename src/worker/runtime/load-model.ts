import { BundleError } from '../../shared/bundle/bundle-error.ts';
import { parseManifestBytes } from '../../shared/bundle/parse-manifest.ts';
import { selectVariant, type VariantPreference } from '../../shared/bundle/select-variant.ts';
import { checkPreprocessVersion, verifyModelFile } from '../../shared/bundle/verify-bundle.ts';
import { LoadedModel } from './loaded-model.ts';
import { ModelLoadError } from './model-load-error.ts';
import type { ModelSource } from './model-source.ts';
import { createOrtSession } from './ort-in-workerd.ts';

/** The names the preprocessing feeds; a model without them cannot serve this Worker. */
const REQUIRED_INPUTS = ['frames', 'non_empty_frame_idxs'] as const;

/**
 * Reads a bundle, refuses it unless it is intact and matches the running preprocessing, and
 * creates its session. Every refusal is a typed error (`BundleError` / `ModelLoadError`).
 */
export async function loadModel(source: ModelSource, preference: VariantPreference): Promise<LoadedModel> {
  const start = performance.now();
  const manifestBytes = await source.read('manifest.json');
  if (!manifestBytes)
    throw new BundleError(
      'manifest_missing',
      `no manifest.json for model ${JSON.stringify(source.modelName)} in ${source.kind}`,
    );
  const manifest = parseManifestBytes(manifestBytes);
  checkPreprocessVersion(manifest);
  const { variant, file } = selectVariant(manifest, preference);
  const modelBytes = await source.read(file.path);
  if (!modelBytes)
    throw new BundleError(
      'file_missing',
      `${file.path} (${variant}) is named by the manifest but absent from ${source.kind}`,
    );
  const read = performance.now();

  await verifyModelFile(file, modelBytes);
  const verified = performance.now();

  const session = await createOrtSession(modelBytes);
  const outputName = manifest.outputs[0]!.name;
  const missing: string[] = REQUIRED_INPUTS.filter((name) => !session.inputNames.includes(name));
  if (!session.outputNames.includes(outputName)) missing.push(`output ${outputName}`);
  if (missing.length > 0) {
    await session.release();
    throw new ModelLoadError(
      'model_contract_mismatch',
      `model ${manifest.modelId} lacks ${missing.join(', ')}`,
    );
  }
  const done = performance.now();

  return new LoadedModel(
    manifest,
    variant,
    file,
    source.kind,
    {
      readMs: read - start,
      verifyMs: verified - read,
      sessionMs: done - verified,
      totalMs: done - start,
    },
    session,
    outputName,
  );
}
