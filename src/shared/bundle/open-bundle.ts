import { BundleError } from './bundle-error.ts';
import { MANIFEST_FILE, type BundleFile, type BundleManifest, type ModelVariant } from './manifest.ts';
import { contractGaps } from './model-contract.ts';
import { parseManifestBytes } from './parse-manifest.ts';
import { selectVariant, type VariantPreference } from './select-variant.ts';
import { checkPreprocessVersion, verifyModelFile } from './verify-bundle.ts';

/** Where a bundle's files are: a folder on disk, static assets, an R2 prefix. */
export interface BundleSource {
  /** For messages: "models/demo", "assets:demo". */
  readonly location: string;
  /** The file's bytes (path relative to the bundle), or null when it does not exist. */
  read(path: string): Promise<Uint8Array | null>;
}

/** What openBundle needs of a session of either runtime (onnxruntime-node or -web). */
export interface BundleSession {
  readonly inputNames: readonly string[];
  readonly outputNames: readonly string[];
  release(): Promise<void>;
}

/** How long each step took: the Worker reports it as its cold start. */
export interface BundleOpenTimings {
  readonly readMs: number;
  readonly verifyMs: number;
  readonly sessionMs: number;
  readonly totalMs: number;
}

/** A verified bundle and an open session on its chosen variant. */
export interface OpenBundle<S extends BundleSession> {
  readonly manifest: BundleManifest;
  readonly variant: ModelVariant;
  readonly file: BundleFile;
  /** The manifest's output: the class probabilities in the manifest's sign order. */
  readonly outputName: string;
  readonly session: S;
  readonly timings: BundleOpenTimings;
}

/**
 * The one bundle loader, shared by the Worker and `npm run submit`: reads manifest.json, refuses a
 * bundle built for another preprocessing, picks the variant, checks the model file's size and SHA-256,
 * opens it with `openSession` (the caller's runtime) and checks that the model takes the contract's
 * inputs and gives the manifest's output, releasing the session when it does not. Every refusal is a
 * BundleError; an error `openSession` throws that is not one becomes `model_load_failed`.
 */
export async function openBundle<S extends BundleSession>(
  source: BundleSource,
  preference: VariantPreference,
  openSession: (model: Uint8Array) => Promise<S>,
): Promise<OpenBundle<S>> {
  const start = performance.now();
  const manifestBytes = await source.read(MANIFEST_FILE);
  if (manifestBytes === null)
    throw new BundleError('manifest_missing', `no ${MANIFEST_FILE} in ${source.location}`);
  const manifest = parseManifestBytes(manifestBytes);
  checkPreprocessVersion(manifest);
  const { variant, file } = selectVariant(manifest, preference);
  const modelBytes = await source.read(file.path);
  if (modelBytes === null) {
    throw new BundleError(
      'file_missing',
      `${file.path} (${variant}) is named by the manifest but absent from ${source.location}`,
    );
  }
  const read = performance.now();

  await verifyModelFile(file, modelBytes);
  const verified = performance.now();

  let session: S;
  try {
    session = await openSession(modelBytes);
  } catch (cause) {
    if (cause instanceof BundleError) throw cause;
    throw new BundleError(
      'model_load_failed',
      `${file.path} (${variant}) cannot be loaded: ${String(cause)}`,
      {
        cause,
      },
    );
  }
  const outputName = manifest.outputs[0]!.name;
  const gaps = contractGaps(session, outputName);
  if (gaps.length > 0) {
    await session.release();
    throw new BundleError(
      'model_contract_mismatch',
      `${file.path} (${variant}) of model ${manifest.modelId} lacks ${gaps.join(', ')}`,
    );
  }
  const done = performance.now();
  return {
    manifest,
    variant,
    file,
    outputName,
    session,
    timings: {
      readMs: read - start,
      verifyMs: verified - read,
      sessionMs: done - verified,
      totalMs: done - start,
    },
  };
}
