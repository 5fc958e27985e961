import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { BundleError } from '../../../shared/bundle/bundle-error.ts';
import type { BundleManifest } from '../../../shared/bundle/manifest.ts';
import { parseManifestBytes } from '../../../shared/bundle/parse-manifest.ts';
import { checkPreprocessVersion, verifyModelFile } from '../../../shared/bundle/verify-bundle.ts';
import { MANIFEST_FILE } from './bundle-files.ts';

async function readOrNull(path: string): Promise<Uint8Array | null> {
  try {
    return new Uint8Array(await readFile(path));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
}

/**
 * Checks a bundle folder the way its loaders do, with the shared verifier: the manifest parses, the
 * preprocessing version is the running one, and every model file it names has its size and SHA-256.
 * Throws the loaders' BundleError codes.
 */
export async function verifyBundleDir(dir: string): Promise<BundleManifest> {
  const manifestBytes = await readOrNull(join(dir, MANIFEST_FILE));
  if (manifestBytes === null) throw new BundleError('manifest_missing', `no ${MANIFEST_FILE} in ${dir}`);
  const manifest = parseManifestBytes(manifestBytes);
  checkPreprocessVersion(manifest);
  for (const [variant, file] of Object.entries(manifest.files)) {
    const bytes = await readOrNull(join(dir, file.path));
    if (bytes === null) {
      throw new BundleError(
        'file_missing',
        `${file.path} (${variant}) is named by the manifest but absent from ${dir}`,
      );
    }
    await verifyModelFile(file, bytes);
  }
  return manifest;
}
