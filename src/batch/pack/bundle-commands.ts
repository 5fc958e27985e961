import { readFile, writeFile } from 'node:fs/promises';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import { build } from 'esbuild';
import type { ArchiveCommand, ExternalPackage } from './archive-layout.ts';
import { runtimeUrlPlugin } from './runtime-url-plugin.ts';

export interface BundleOptions {
  readonly repoRoot: string;
  /** The archive's root; bundles go to <root>/<bundleDir>. */
  readonly archiveRoot: string;
  readonly bundleDir: string;
  readonly commands: readonly ArchiveCommand[];
  readonly shippedFolders: readonly string[];
  readonly external: readonly ExternalPackage[];
}

export interface BundleResult {
  /** Bundle names (lib/<name>.mjs): the commands, then the worker entries they start. */
  readonly bundles: readonly string[];
  /** Repository-relative folders of the npm packages inlined into the bundles (for their licences). */
  readonly inlinedPackages: readonly string[];
  /** esbuild's warnings, one line each (errors throw). */
  readonly warnings: readonly string[];
}

// Bundled dependencies written as CommonJS call require(); an ES module has none unless given one.
const REQUIRE_BANNER =
  "import { createRequire as __signcastCreateRequire } from 'node:module'; const require = __signcastCreateRequire(import.meta.url);";

/**
 * One ES module per command for plain Node 22 (esbuild), each with everything but the external
 * packages inlined. Worker-thread entries the commands start are found while bundling (see
 * runtime-url-plugin.ts) and bundled the same way, until none is new.
 */
export async function bundleCommands(o: BundleOptions): Promise<BundleResult> {
  const outdir = join(o.archiveRoot, o.bundleDir);
  const sourceOf = new Map<string, string>();
  const claim = (name: string, source: string) => {
    const owner = sourceOf.get(name);
    if (owner !== undefined && owner !== source) {
      throw new Error(`two bundles would be ${o.bundleDir}/${name}.mjs: ${owner} and ${source}; rename one`);
    }
    sourceOf.set(name, source);
  };
  for (const c of o.commands) claim(c.name, resolve(o.repoRoot, c.source));

  const inputs = new Set<string>();
  const warnings: string[] = [];
  let pending = [...sourceOf.entries()];
  while (pending.length > 0) {
    const found = new Set<string>();
    const result = await build({
      entryPoints: pending.map(([name, source]) => ({ in: source, out: name })),
      absWorkingDir: o.repoRoot,
      outdir,
      outExtension: { '.js': '.mjs' },
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node22',
      external: o.external.map((p) => p.name),
      banner: { js: REQUIRE_BANNER },
      // Stack traces from a GPU box name src/ files and lines (the launcher runs --enable-source-maps);
      // without the sources' text a map stays small.
      sourcemap: 'linked',
      sourcesContent: false,
      metafile: true,
      // Errors come back in the thrown BuildFailure's message, warnings in the result.
      logLevel: 'silent',
      plugins: [
        runtimeUrlPlugin({
          repoRoot: o.repoRoot,
          bundleDir: o.bundleDir,
          shippedFolders: o.shippedFolders,
          onWorkerEntry: (source) => found.add(source),
        }),
      ],
    });
    for (const input of Object.keys(result.metafile.inputs)) inputs.add(input);
    for (const output of Object.keys(result.metafile.outputs).filter((f) => f.endsWith('.map'))) {
      await rootSourcePaths(resolve(o.repoRoot, output), o.repoRoot, o.archiveRoot);
    }
    for (const w of result.warnings) {
      warnings.push(`${w.location ? `${w.location.file}:${w.location.line}: ` : ''}${w.text}`);
    }
    pending = [];
    for (const source of found) {
      const name = basename(source, '.ts');
      if (sourceOf.get(name) === source) continue;
      claim(name, source);
      pending.push([name, source]);
    }
  }
  return { bundles: [...sourceOf.keys()], inlinedPackages: packageFolders(inputs, o.repoRoot), warnings };
}

/**
 * esbuild names each source relative to its map, a path that climbs out of the temporary staging
 * folder into this checkout. Rewritten as if the repository's tree sat at the archive root, a stack
 * trace on the box reads `<archive>/src/batch/cli/train.ts:69`: the file to open in the repository.
 */
async function rootSourcePaths(mapFile: string, repoRoot: string, archiveRoot: string): Promise<void> {
  const map = JSON.parse(await readFile(mapFile, 'utf8')) as { sources: string[] };
  const toRoot = posix(relative(dirname(mapFile), archiveRoot));
  map.sources = map.sources.map(
    (s) => `${toRoot}/${posix(relative(repoRoot, resolve(dirname(mapFile), s)))}`,
  );
  await writeFile(mapFile, JSON.stringify(map));
}

const posix = (path: string): string => path.split(sep).join('/');

/** node_modules/<name> or node_modules/@scope/<name> of each input inside a package (innermost). */
function packageFolders(inputs: Iterable<string>, repoRoot: string): string[] {
  const folders = new Set<string>();
  for (const input of inputs) {
    // Metafile inputs are relative to absWorkingDir (the repository).
    const parts = relative(repoRoot, resolve(repoRoot, input)).split(sep);
    const last = parts.lastIndexOf('node_modules');
    if (last < 0 || last + 1 >= parts.length) continue;
    const depth = parts[last + 1]!.startsWith('@') ? 3 : 2;
    folders.add(parts.slice(0, last + depth).join('/'));
  }
  return [...folders].sort();
}
