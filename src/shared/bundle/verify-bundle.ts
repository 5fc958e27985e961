import { PREPROCESS_VERSION } from '../preprocess/constants.ts';
import { BundleError } from './bundle-error.ts';
import type { BundleFile, BundleManifest } from './manifest.ts';
import { sha256Hex } from './sha256.ts';

/** A bundle is only meaningful with the preprocessing it was trained on. */
export function checkPreprocessVersion(manifest: BundleManifest, running: string = PREPROCESS_VERSION): void {
  if (manifest.preprocess.version !== running) {
    throw new BundleError(
      'preprocess_mismatch',
      `bundle ${manifest.modelId} was built for preprocessing ${JSON.stringify(manifest.preprocess.version)}, this code runs ${JSON.stringify(running)}`,
    );
  }
}

/** Checks a model file's bytes against its manifest entry: byte count first (cheap), then SHA-256. */
export async function verifyModelFile(file: BundleFile, bytes: Uint8Array): Promise<void> {
  if (bytes.length !== file.bytes) {
    throw new BundleError(
      'size_mismatch',
      `${file.path} has ${bytes.length} bytes, the manifest says ${file.bytes}`,
    );
  }
  const actual = await sha256Hex(bytes);
  if (actual !== file.sha256) {
    throw new BundleError(
      'hash_mismatch',
      `${file.path} has SHA-256 ${actual}, the manifest says ${file.sha256}`,
    );
  }
}
