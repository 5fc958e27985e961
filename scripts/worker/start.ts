import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { unstable_readConfig } from 'wrangler';
import { SAMPLE_NAME } from './sample-clips.ts';

/**
 * `npm start`: `wrangler dev` with the bundle wrangler.toml names (models/<MODEL_NAME>), then, once
 * it listens, the page's URL and a curl that posts one of the bundle's synthetic sample clips. Extra
 * arguments go to wrangler (e.g. `npm start -- --port 9000`).
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

const wrangler = join(
  dirname(createRequire(import.meta.url).resolve('wrangler/package.json')),
  'bin',
  'wrangler.js',
);
// process.execPath is the Node that runs this script: under npm/npx, the project's Node 22.
const child = spawn(process.execPath, [wrangler, 'dev', '--ip', '127.0.0.1', ...process.argv.slice(2)], {
  stdio: ['inherit', 'pipe', 'inherit'],
  env: { ...process.env, FORCE_COLOR: process.env['FORCE_COLOR'] ?? '0' },
});

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

let announced = false;
child.stdout.on('data', (chunk: Buffer) => {
  const text = chunk.toString();
  process.stdout.write(text);
  const ready = /Ready on (http:\/\/[^\s]+)/.exec(text);
  if (ready && !announced) {
    announced = true;
    process.stdout.write(curlFor(ready[1]!.replace(/\/$/, '')));
  }
});
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => child.kill(signal));
child.on('exit', (code) => process.exit(code ?? 0));
