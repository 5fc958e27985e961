import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { BundleError } from '../../../shared/bundle/bundle-error.ts';
import { MANIFEST_FILE, type BundleManifest } from '../../../shared/bundle/manifest.ts';
import type { BundleSource } from '../../../shared/bundle/open-bundle.ts';
import { parseManifestBytes } from '../../../shared/bundle/parse-manifest.ts';
import { checkPreprocessVersion, verifyModelFile } from '../../../shared/bundle/verify-bundle.ts';

/** A bundle folder on disk (`models/<name>`), read the way the Worker reads its assets. */
export function bundleDirSource(dir: string): BundleSource {
  const root = resolve(dir);
  return {
    location: root,
    async read(path) {
      try {
        return new Uint8Array(await readFile(join(root, path)));
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
        throw err;
      }
    },
  };
}

/**
 * Checks a bundle folder the way its loaders do, with the shared verifier: the manifest parses, the
 * preprocessing version is the running one, and every model file it names has its size and SHA-256.
 * Throws the loaders' BundleError codes.
 */
export async function verifyBundleDir(dir: string): Promise<BundleManifest> {
  const source = bundleDirSource(dir);
  const manifestBytes = await source.read(MANIFEST_FILE);
  if (manifestBytes === null) throw new BundleError('manifest_missing', `no ${MANIFEST_FILE} in ${dir}`);
  const manifest = parseManifestBytes(manifestBytes);
  checkPreprocessVersion(manifest);
  for (const [variant, file] of Object.entries(manifest.files)) {
    const bytes = await source.read(file.path);
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
