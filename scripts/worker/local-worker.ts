import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { unstable_getMiniflareWorkerOptions, unstable_readConfig } from 'wrangler';

/*
 * The Worker as production runs it, on this machine: the bundle `wrangler deploy` would upload,
 * served by Miniflare's workerd with nothing in front of it. `npm start` and `npm run bench:worker`
 * both serve it this way rather than through `wrangler dev`, whose local proxy Worker
 *  - is built with a middleware that reads every request body to its end before the response may
 *    leave (workers-sdk #5106, a workaround for workerd-to-workerd POSTs): a 413 the Worker decided
 *    from Content-Length waited for the whole upload, and a client that declared more bytes than it
 *    sent waited forever;
 *  - answers `Expect: 100-continue` itself and then resets large uploads the Worker refused, so the
 *    client never sees the 413;
 *  - adds ~14 ms to every request.
 * Bare workerd answers from the declared length at once (and to `Expect: 100-continue` with the 413).
 */

const ROOT = process.cwd();

export interface BuiltModule {
  readonly type: 'ESModule' | 'CompiledWasm';
  readonly path: string;
}

export interface BuiltWorker {
  readonly dir: string;
  readonly modules: readonly BuiltModule[];
  readonly bytes: number;
  readonly gzipBytes: number;
}

/** The slice of Miniflare these scripts drive. */
export interface LocalWorker {
  readonly ready: Promise<URL>;
  setOptions(options: object): Promise<void>;
  dispose(): Promise<void>;
}

interface MiniflareModule {
  Miniflare: new (options: object) => LocalWorker;
  // wrangler hands out options in Miniflare's v4 shape; this Miniflare converts them.
  convertV4MiniflareOptions(options: object): object;
  Log: new (level: number) => object;
  LogLevel: { readonly INFO: number; readonly WARN: number };
}

/** The Miniflare (and so the workerd) that wrangler itself runs, whatever npm hoisted beside it. */
async function miniflareModule(): Promise<MiniflareModule> {
  const fromWrangler = createRequire(createRequire(import.meta.url).resolve('wrangler/package.json'));
  return (await import(pathToFileURL(fromWrangler.resolve('miniflare')).href)) as MiniflareModule;
}

const wranglerBin = (): string =>
  join(dirname(createRequire(import.meta.url).resolve('wrangler/package.json')), 'bin', 'wrangler.js');

/** The deployable Worker as `wrangler deploy` would upload it (its gzip size is what plans limit). */
export function buildWorker(dir: string): BuiltWorker {
  const args = ['deploy', '--dry-run', '--outdir', dir];
  const result = spawnSync(process.execPath, [wranglerBin(), ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, FORCE_COLOR: '0' },
  });
  if (result.status !== 0) {
    throw new Error(`wrangler ${args.join(' ')} failed:\n${result.stdout}\n${result.stderr}`);
  }
  let bytes = 0;
  let gzipBytes = 0;
  const modules: BuiltModule[] = [{ type: 'ESModule', path: join(dir, 'index.js') }];
  for (const name of readdirSync(dir)) {
    if (name.endsWith('.map') || name === 'README.md') continue;
    const data = readFileSync(join(dir, name));
    bytes += data.length;
    gzipBytes += gzipSync(data).length;
    if (name.endsWith('.wasm')) modules.push({ type: 'CompiledWasm', path: join(dir, name) });
  }
  return { dir, modules, bytes, gzipBytes };
}

export interface ServeOptions {
  readonly build: BuiltWorker;
  readonly host: string;
  /** 0: any free port (read it from `ready`). */
  readonly port: number;
  /** Replaces wrangler.toml's assets directory. */
  readonly assetsDirectory?: string;
  /** Added to (or replacing) wrangler.toml's vars. */
  readonly bindings?: Readonly<Record<string, string>>;
  /** One log line per request, as `wrangler dev` prints them. */
  readonly logRequests?: boolean;
}

/** Miniflare options for the built Worker with wrangler.toml's bindings (vars, assets, R2...). */
async function optionsFor(opts: ServeOptions): Promise<object> {
  const mf = await miniflareModule();
  const config = unstable_readConfig({ config: join(ROOT, 'wrangler.toml') });
  const { workerOptions } = unstable_getMiniflareWorkerOptions(
    config,
    undefined,
    opts.assetsDirectory === undefined
      ? undefined
      : { overrides: { assets: { directory: opts.assetsDirectory } } },
  );
  // wrangler's module rules already shaped the build's modules; this Miniflare takes the list instead.
  const { modulesRules: _rules, ...rest } = workerOptions as { modulesRules?: unknown; bindings?: object };
  return mf.convertV4MiniflareOptions({
    workers: [
      {
        ...rest,
        name: config.name ?? 'signcast',
        modulesRoot: opts.build.dir,
        modules: opts.build.modules,
        bindings: { ...(rest.bindings ?? {}), ...(opts.bindings ?? {}) },
      },
    ],
    host: opts.host,
    port: opts.port,
    // No Request.cf from the network: nothing here reads it, and this machine may be offline.
    cf: false,
    log: new mf.Log(opts.logRequests === true ? mf.LogLevel.INFO : mf.LogLevel.WARN),
    logRequests: opts.logRequests === true,
  });
}

export async function serveWorker(opts: ServeOptions): Promise<LocalWorker> {
  const mf = await miniflareModule();
  return new mf.Miniflare(await optionsFor(opts));
}

/** Swaps a running Worker for a new build, keeping its address. */
export async function reloadWorker(worker: LocalWorker, opts: ServeOptions): Promise<void> {
  await worker.setOptions(await optionsFor(opts));
}

export const relativeToRoot = (path: string): string => relative(ROOT, path);
