import { existsSync, watch } from 'node:fs';
import { join, relative } from 'node:path';
import { parseArgs } from 'node:util';
import { unstable_readConfig } from 'wrangler';
import { buildWorker, reloadWorker, serveWorker, type ServeOptions } from './local-worker.ts';
import { SAMPLE_NAME } from './sample-clips.ts';

/**
 * `npm start`: the Worker with the bundle wrangler.toml names (models/<MODEL_NAME>), built as
 * `wrangler deploy` builds it and served by workerd through Miniflare (local-worker.ts says why not
 * `wrangler dev`); once it listens, the page's URL and a curl that posts one of the bundle's
 * synthetic sample clips.
 * Edits under src/ or to wrangler.toml rebuild and reload it. `npm start -- --port 9000 --ip 0.0.0.0`
 * (port 0: any free port).
 */
const root = process.cwd();
const config = unstable_readConfig({ config: join(root, 'wrangler.toml') });
const modelName = String(config.vars['MODEL_NAME'] ?? '');
const bundleDir = join(root, 'models', modelName);
if (!existsSync(join(bundleDir, 'manifest.json'))) {
  console.error(
    `models/${modelName}/manifest.json is missing: run \`npx tsx scripts/worker/make-fixture-bundle.ts --out models/${modelName}\` or export a bundle there.`,
  );
  process.exit(1);
}

const { values: args } = parseArgs({
  args: process.argv.slice(2),
  options: { port: { type: 'string', default: '8787' }, ip: { type: 'string', default: '127.0.0.1' } },
});
const port = Number(args.port);
if (!(Number.isInteger(port) && port >= 0 && port <= 65535)) {
  console.error(`--port must be a port number, got ${JSON.stringify(args.port)}`);
  process.exit(1);
}
// A tool cache: ignored by git, lint and prettier.
const buildDir = join(root, 'node_modules', '.cache', 'signcast-start', 'dist');

function curlFor(url: string): string {
  const sample = (ext: string): string | null => {
    const path = join(bundleDir, 'samples', `${SAMPLE_NAME}.${ext}`);
    return existsSync(path) ? relative(root, path) : null;
  };
  const parquet = sample('parquet');
  const json = sample('json');
  const lines = [`\nsigncast is serving models/${modelName}. Open the page: ${url}/\n\nOr try the API:\n`];
  if (parquet) {
    lines.push(
      `curl -sS -X POST '${url}/v1/predict?top=5' -H 'Content-Type: application/vnd.apache.parquet' --data-binary @${parquet}\n`,
    );
  }
  if (json)
    lines.push(
      `curl -sS -X POST '${url}/v1/predict' -H 'Content-Type: application/json' --data-binary @${json}\n`,
    );
  if (!parquet && !json)
    lines.push(
      `(no samples in models/${modelName}/samples: npx tsx scripts/worker/make-sample-clips.ts --out models/${modelName}/samples)\n`,
    );
  lines.push(`curl -sS ${url}/v1/model\n`);
  return lines.join('\n');
}

console.log('building the Worker (wrangler deploy --dry-run) ...');
const serve = (): ServeOptions => ({ build: buildWorker(buildDir), host: args.ip, port, logRequests: true });
const worker = await serveWorker(serve());
const url = (await worker.ready).toString().replace(/\/$/, '');
console.log(`Ready on ${url}`);
process.stdout.write(curlFor(url));

let pending: NodeJS.Timeout | undefined;
let reloading = Promise.resolve();
const reload = (): void => {
  reloading = reloading.then(async () => {
    try {
      // Keep the address the first start got (with --port 0, a free port chosen then).
      await reloadWorker(worker, { ...serve(), port: Number(new URL(url).port) });
      console.log('reloaded');
    } catch (error) {
      console.error(`reload failed, still serving the previous build: ${(error as Error).message}`);
    }
  });
};
for (const path of [join(root, 'src'), join(root, 'wrangler.toml')]) {
  watch(path, { recursive: true }, () => {
    clearTimeout(pending);
    pending = setTimeout(reload, 300);
  });
}
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    void worker.dispose().finally(() => process.exit(0));
  });
}
