import { existsSync } from 'node:fs';
import { cp, mkdir, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import {
  MANIFEST_FILE,
  type BundleFile,
  type BundleManifest,
  type ModelVariant,
} from '../../../shared/bundle/manifest.ts';
import { sha256Hex } from '../../../shared/bundle/sha256.ts';
import { MODEL_FILES, isBundleFile } from './bundle-files.ts';
import { verifyBundleDir } from './bundle-dir.ts';

/** The manifest without what writing the files determines. */
export type ManifestBody = Omit<BundleManifest, 'files'>;

export async function describeModelFile(variant: ModelVariant, bytes: Uint8Array): Promise<BundleFile> {
  return { path: MODEL_FILES[variant], sha256: await sha256Hex(bytes), bytes: bytes.length };
}

/**
 * Writes a bundle folder atomically: everything goes into a sibling temporary folder, is verified
 * there with the loaders' own checks, and only then takes the folder's name. A reader sees the old
 * bundle or the new one, never a mix. Files of an existing bundle folder that the export does not own
 * (sample clips, a README) are carried over.
 */
export async function writeBundle(
  outDir: string,
  models: Readonly<Partial<Record<ModelVariant, Uint8Array>>>,
  body: ManifestBody,
): Promise<BundleManifest> {
  const out = resolve(outDir);
  const parent = dirname(out);
  await mkdir(parent, { recursive: true });
  const stamp = `${process.pid}-${Date.now()}`;
  const tmp = join(parent, `.${basename(out)}.export-${stamp}`);
  const old = join(parent, `.${basename(out)}.replaced-${stamp}`);
  await mkdir(tmp);
  try {
    const files: Partial<Record<ModelVariant, BundleFile>> = {};
    for (const [variant, bytes] of Object.entries(models) as [ModelVariant, Uint8Array][]) {
      const file = await describeModelFile(variant, bytes);
      await writeFile(join(tmp, file.path), bytes);
      files[variant] = file;
    }
    // Keys in contract order, files where the fixture bundle has them.
    const { format, modelId, createdAt, ...rest } = body;
    const manifest: BundleManifest = { format, modelId, createdAt, files, ...rest };
    await writeFile(join(tmp, MANIFEST_FILE), `${JSON.stringify(manifest, null, 2)}\n`);
    await verifyBundleDir(tmp);

    // Copied, not moved: until the swap below, a failure leaves the old bundle untouched.
    const replacing = existsSync(out);
    if (replacing) {
      for (const entry of await readdir(out)) {
        if (!isBundleFile(entry)) await cp(join(out, entry), join(tmp, entry), { recursive: true });
      }
      await rename(out, old);
    }
    try {
      await rename(tmp, out);
    } catch (err) {
      if (replacing) await rename(old, out);
      throw err;
    }
    await rm(old, { recursive: true, force: true });
    return manifest;
  } catch (err) {
    await rm(tmp, { recursive: true, force: true });
    throw err;
  }
}
