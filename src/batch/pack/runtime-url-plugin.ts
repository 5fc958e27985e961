import { readFile } from 'node:fs/promises';
import { basename, dirname, relative, resolve, sep } from 'node:path';
import type { Plugin } from 'esbuild';

/**
 * The source names files it needs at run time with `new URL('<relative path>', import.meta.url)`: a
 * worker thread's entry (`./decode-worker.ts`) or a data folder (`../../../../presets/`). Inside a
 * bundle, import.meta.url is the bundle's own URL, so each such reference is rewritten to where the
 * archive puts its target:
 * - a .ts file becomes a bundle of its own, `<name>.mjs` beside the command bundles (reported through
 *   `onWorkerEntry`, so the caller bundles it too);
 * - anything else must lie in one of `shippedFolders`, which the archive copies to the same place
 *   relative to its root as in the repository; any other target fails the build, naming the file.
 * esbuild leaves this pattern alone (it has no asset handling for it), hence the plugin.
 */
export interface RuntimeUrlOptions {
  readonly repoRoot: string;
  /** Where the bundles sit relative to the archive root (one folder, e.g. `lib`). */
  readonly bundleDir: string;
  /** Repository folders the archive ships at the same relative path, e.g. `presets`. */
  readonly shippedFolders: readonly string[];
  readonly onWorkerEntry: (sourceFile: string) => void;
}

const RUNTIME_URL = /new URL\(\s*(['"])([^'"]+)\1\s*,\s*import\.meta\.url\s*\)/g;

export function runtimeUrlPlugin(o: RuntimeUrlOptions): Plugin {
  const srcRoot = resolve(o.repoRoot, 'src') + sep;
  const toRoot = relative(resolve(o.repoRoot, o.bundleDir), o.repoRoot).split(sep).join('/');
  return {
    name: 'signcast-runtime-url',
    setup(build) {
      build.onLoad({ filter: /\.ts$/ }, async (args) => {
        if (!args.path.startsWith(srcRoot)) return undefined;
        const source = await readFile(args.path, 'utf8');
        const problems: string[] = [];
        const contents = source.replace(RUNTIME_URL, (match, _quote: string, target: string) => {
          if (!target.startsWith('.')) return match;
          const absolute = resolve(dirname(args.path), target);
          if (absolute.endsWith('.ts')) {
            o.onWorkerEntry(absolute);
            return `new URL('./${basename(absolute, '.ts')}.mjs', import.meta.url)`;
          }
          const fromRoot = relative(o.repoRoot, absolute).split(sep).join('/');
          if (!o.shippedFolders.some((f) => fromRoot === f || fromRoot.startsWith(`${f}/`))) {
            problems.push(
              `${relative(o.repoRoot, args.path)} reads ${fromRoot} at run time, which the archive does not ship ` +
                `(shipped: ${o.shippedFolders.join(', ')})`,
            );
            return match;
          }
          const trailingSlash = target.endsWith('/') ? '/' : '';
          return `new URL('${toRoot}/${fromRoot}${trailingSlash}', import.meta.url)`;
        });
        return problems.length > 0
          ? { errors: problems.map((text) => ({ text })) }
          : { contents, loader: 'ts' as const };
      });
    },
  };
}
