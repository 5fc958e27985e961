import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build, type Metafile } from 'esbuild';

/**
 * Builds the page the Worker serves at `/` (src/page) into one module, build/page/files.js, that the
 * Worker imports: the HTML and each hashed script and style sheet as text. wrangler runs this before
 * bundling (wrangler.toml [build]); the workerd tests' global setup runs it too. esbuild is the
 * bundler wrangler itself uses; no dev server is involved.
 */
const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const PAGE_BUILD_DIR = join(ROOT, 'build', 'page');
const SOURCE_DIR = join(ROOT, 'src', 'page');
const PUBLIC_PREFIX = '/page/';

const TYPES: Readonly<Record<string, string>> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
};

export interface PageBuildFile {
  readonly path: string;
  readonly type: string;
  readonly body: string;
  readonly etag: string;
}

export interface PageSize {
  readonly raw: number;
  readonly gzip: number;
}

export interface PageBuild {
  readonly files: readonly PageBuildFile[];
  readonly tasksVisionVersion: string;
  /** The HTML, style sheet and the scripts it loads up front: what a first visit costs. */
  readonly firstVisit: PageSize;
  /** Everything, lazily loaded chunks (the Arrow reader, MediaPipe's JS) included. */
  readonly all: PageSize;
}

const etagOf = (body: string): string =>
  `"${createHash('sha256').update(body).digest('base64url').slice(0, 22)}"`;

const sizeOf = (bodies: readonly string[]): PageSize => ({
  raw: bodies.reduce((n, b) => n + Buffer.byteLength(b), 0),
  gzip: bodies.reduce((n, b) => n + gzipSync(b, { level: 9 }).length, 0),
});

/** The output's own file plus every chunk it imports statically, transitively. */
function staticClosure(metafile: Metafile, output: string): string[] {
  const seen = new Set<string>();
  const visit = (path: string): void => {
    if (seen.has(path)) return;
    seen.add(path);
    for (const imported of metafile.outputs[path]?.imports ?? []) {
      if (imported.kind === 'import-statement' && !imported.external) visit(imported.path);
    }
  };
  visit(output);
  return [...seen];
}

async function tasksVisionVersionOf(): Promise<string> {
  const require = createRequire(import.meta.url);
  // The package's exports map hides package.json; its folder is beside the resolved entry point.
  const entry = require.resolve('@mediapipe/tasks-vision');
  const manifest = JSON.parse(await readFile(join(dirname(entry), 'package.json'), 'utf8')) as {
    version: string;
  };
  return manifest.version;
}

export async function buildPage(): Promise<PageBuild> {
  const result = await build({
    absWorkingDir: ROOT,
    entryPoints: { main: join(SOURCE_DIR, 'main.ts'), page: join(SOURCE_DIR, 'page.css') },
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'browser',
    target: ['es2022', 'chrome111', 'firefox115', 'safari16.4'],
    minify: true,
    legalComments: 'none',
    outdir: join(PAGE_BUILD_DIR, 'out'),
    entryNames: '[name]-[hash]',
    chunkNames: 'chunk-[hash]',
    publicPath: PUBLIC_PREFIX,
    metafile: true,
    write: false,
    logLevel: 'warning',
  });
  const outDir = join(PAGE_BUILD_DIR, 'out');
  const urlOf = (outPath: string): string => PUBLIC_PREFIX + relative(outDir, join(ROOT, outPath));
  const outputs = Object.keys(result.metafile.outputs);
  const entryOutput = (name: string): string => {
    const found = outputs.find(
      (o) => result.metafile.outputs[o]!.entryPoint === relative(ROOT, join(SOURCE_DIR, name)),
    );
    if (!found) throw new Error(`esbuild produced no output for ${name}`);
    return found;
  };
  const mainOut = entryOutput('main.ts');
  const cssOut = entryOutput('page.css');

  const files: PageBuildFile[] = result.outputFiles.map((f) => {
    const path = urlOf(relative(ROOT, f.path));
    const ext = path.slice(path.lastIndexOf('.'));
    const type = TYPES[ext];
    if (!type) throw new Error(`unexpected page output ${path}`);
    return { path, type, body: f.text, etag: etagOf(f.text) };
  });
  const template = await readFile(join(SOURCE_DIR, 'index.html'), 'utf8');
  // The chunks main.js imports up front, fetched alongside it rather than after it.
  const preload = staticClosure(result.metafile, mainOut)
    .filter((o) => o !== mainOut)
    .map((o) => `<link rel="modulepreload" href="${urlOf(o)}" />`)
    .join('\n    ');
  const html = template
    .replace('{{main.js}}', urlOf(mainOut))
    .replace('{{page.css}}', urlOf(cssOut))
    .replace('{{modulepreload}}', preload);
  for (const placeholder of ['{{main.js}}', '{{page.css}}', '{{modulepreload}}']) {
    if (html.includes(placeholder)) throw new Error(`index.html still has ${placeholder}`);
  }
  files.unshift({ path: '/', type: 'text/html; charset=utf-8', body: html, etag: etagOf(html) });

  const byPath = new Map(files.map((f) => [f.path, f.body]));
  const firstVisit = [
    html,
    byPath.get(urlOf(cssOut))!,
    ...staticClosure(result.metafile, mainOut).map((o) => byPath.get(urlOf(o))!),
  ];
  return {
    files,
    tasksVisionVersion: await tasksVisionVersionOf(),
    firstVisit: sizeOf(firstVisit),
    all: sizeOf(files.map((f) => f.body)),
  };
}

/** Writes build/page/files.js (atomically: wrangler may be watching it). */
export async function writePageModule(page: PageBuild): Promise<string> {
  await mkdir(PAGE_BUILD_DIR, { recursive: true });
  const entries = Object.fromEntries(
    page.files.map(({ path, type, body, etag }) => [path, { type, body, etag }]),
  );
  const source =
    `// Generated by scripts/page/build-page.ts from src/page: do not edit.\n` +
    `export const tasksVisionVersion = ${JSON.stringify(page.tasksVisionVersion)};\n` +
    `export const files = ${JSON.stringify(entries)};\n`;
  const path = join(PAGE_BUILD_DIR, 'files.js');
  // An unchanged page is not rewritten: wrangler dev would reload the Worker for nothing.
  if ((await readFile(path, 'utf8').catch(() => null)) === source) return path;
  await writeFile(`${path}.tmp`, source);
  await rename(`${path}.tmp`, path);
  return path;
}
