import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import * as ort from 'onnxruntime-node';
import { BundleError } from '../../shared/bundle/bundle-error.ts';
import type { BundleFile, BundleManifest, ModelVariant } from '../../shared/bundle/manifest.ts';
import { parseManifestBytes } from '../../shared/bundle/parse-manifest.ts';
import { selectVariant, type VariantPreference } from '../../shared/bundle/select-variant.ts';
import { checkPreprocessVersion, verifyModelFile } from '../../shared/bundle/verify-bundle.ts';
import { SubmitError } from './submit-error.ts';

/** The names the preprocessing feeds. */
export const FRAMES_INPUT = 'frames';
export const FRAME_IDXS_INPUT = 'non_empty_frame_idxs';

export interface SessionThreads {
  /** onnxruntime's intra-op threads (its parallel GEMMs). */
  readonly intraOp: number;
}

/** A verified bundle and an open session on its chosen variant. */
export interface SubmitModel {
  readonly dir: string;
  readonly manifest: BundleManifest;
  readonly variant: ModelVariant;
  readonly file: BundleFile;
  readonly outputName: string;
  readonly session: ort.InferenceSession;
}

/**
 * Opens `models/<name>` for scoring, refusing (typed BundleError / SubmitError) a bundle whose
 * preprocessing version, file size or SHA-256 does not match, or whose model lacks the inputs and the
 * output the scorer uses.
 */
export async function loadModel(
  modelDir: string,
  preference: VariantPreference,
  threads: SessionThreads,
): Promise<SubmitModel> {
  const dir = resolve(modelDir);
  const manifestBytes = await readOptional(join(dir, 'manifest.json'));
  if (manifestBytes === null) throw new BundleError('manifest_missing', `no manifest.json in ${dir}`);
  const manifest = parseManifestBytes(manifestBytes);
  checkPreprocessVersion(manifest);
  const { variant, file } = selectVariant(manifest, preference);
  const modelBytes = await readOptional(join(dir, file.path));
  if (modelBytes === null) {
    throw new BundleError(
      'file_missing',
      `${file.path} (${variant}) is named by the manifest but absent from ${dir}`,
    );
  }
  await verifyModelFile(file, modelBytes);

  const session = await ort.InferenceSession.create(modelBytes, {
    intraOpNumThreads: threads.intraOp,
    interOpNumThreads: 1,
    executionMode: 'sequential',
    graphOptimizationLevel: 'all',
    // Idle intra-op threads spin by default, taking cores the decode workers need: measured here,
    // spinning made a batch ~10% faster but burned ~25% more CPU for the same work.
    extra: { session: { intra_op: { allow_spinning: '0' } } },
  });
  const outputName = manifest.outputs[0]!.name;
  const missing: string[] = [FRAMES_INPUT, FRAME_IDXS_INPUT].filter(
    (name) => !session.inputNames.includes(name),
  );
  if (!session.outputNames.includes(outputName)) missing.push(`output ${outputName}`);
  if (missing.length > 0) {
    await session.release();
    throw new SubmitError('model_contract', join(dir, file.path), `the model lacks ${missing.join(', ')}`);
  }
  return { dir, manifest, variant, file, outputName, session };
}

async function readOptional(path: string): Promise<Uint8Array | null> {
  try {
    return new Uint8Array(await readFile(path));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
}
