import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { bundleCommands } from '../../../src/batch/pack/bundle-commands.ts';

const root = mkdtempSync(join(tmpdir(), 'signcast-bundle-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** A repository in miniature: src/ files that find a worker entry and a data folder from themselves. */
function makeRepo(name: string, files: Record<string, string>): string {
  const repo = join(root, name);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(repo, path)), { recursive: true });
    writeFileSync(join(repo, path), text);
  }
  return repo;
}

const command = (source: string) => ({ name: 'cmd', source, summary: '' });

describe('bundleCommands', () => {
  it('bundles the worker entries a command names and points data folders into the archive', async () => {
    const repo = makeRepo('ok', {
      'src/cli/cmd.ts': [
        "import { helper } from '../lib/helper.ts';",
        "const worker = new URL('../jobs/job-worker.ts', import.meta.url);",
        "const presets: string = new URL('../../data/presets/', import.meta.url).href;",
        'console.log(JSON.stringify({ worker: worker.href, presets, helper: helper() }));',
      ].join('\n'),
      'src/lib/helper.ts': "export const helper = (): string => 'inlined';",
      'src/jobs/job-worker.ts':
        "const nested = new URL('./deeper-worker.ts', import.meta.url);\nconsole.log(nested.href);",
      'src/jobs/deeper-worker.ts': "console.log('deeper');",
    });
    const archive = join(root, 'ok-archive');
    const result = await bundleCommands({
      repoRoot: repo,
      archiveRoot: archive,
      bundleDir: 'lib',
      commands: [command('src/cli/cmd.ts')],
      shippedFolders: ['data/presets'],
      external: [],
    });
    expect(result.bundles).toEqual(['cmd', 'job-worker', 'deeper-worker']);
    expect(
      readdirSync(join(archive, 'lib'))
        .filter((f) => f.endsWith('.mjs'))
        .sort(),
    ).toEqual(['cmd.mjs', 'deeper-worker.mjs', 'job-worker.mjs']);

    const printed = JSON.parse(
      execFileSync(process.execPath, [join(archive, 'lib', 'cmd.mjs')], { encoding: 'utf8' }),
    );
    expect(printed).toEqual({
      worker: pathToFileURL(join(archive, 'lib', 'job-worker.mjs')).href,
      presets: `${pathToFileURL(join(archive, 'data', 'presets')).href}/`,
      helper: 'inlined',
    });
    const nested = execFileSync(process.execPath, [join(archive, 'lib', 'job-worker.mjs')], {
      encoding: 'utf8',
    });
    expect(nested.trim()).toBe(pathToFileURL(join(archive, 'lib', 'deeper-worker.mjs')).href);
  });

  it('maps a stack trace to the repository path under the archive root', async () => {
    const repo = makeRepo('stack', {
      'src/cli/fail.ts': "const reason: string = 'boom';\nthrow new Error(reason);\n",
    });
    const archive = join(root, 'stack-archive');
    await bundleCommands({
      repoRoot: repo,
      archiveRoot: archive,
      bundleDir: 'lib',
      commands: [command('src/cli/fail.ts')],
      shippedFolders: [],
      external: [],
    });
    const run = spawnSync(process.execPath, ['--enable-source-maps', join(archive, 'lib', 'cmd.mjs')], {
      encoding: 'utf8',
    });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain(`${join(archive, 'src', 'cli', 'fail.ts')}:2`);
  });

  it('fails when the code reads a folder the archive does not ship, naming both', async () => {
    const repo = makeRepo('unshipped', {
      'src/cmd.ts': "console.log(new URL('../fixtures/clips/', import.meta.url).href);",
    });
    await expect(
      bundleCommands({
        repoRoot: repo,
        archiveRoot: join(root, 'unshipped-archive'),
        bundleDir: 'lib',
        commands: [command('src/cmd.ts')],
        shippedFolders: ['presets'],
        external: [],
      }),
    ).rejects.toThrow(/src\/cmd\.ts reads fixtures\/clips at run time, which the archive does not ship/);
  });

  it('refuses two worker entries that would share one bundle name', async () => {
    const repo = makeRepo('clash', {
      'src/cmd.ts': [
        "console.log(new URL('./a/decode-worker.ts', import.meta.url).href);",
        "console.log(new URL('./b/decode-worker.ts', import.meta.url).href);",
      ].join('\n'),
      'src/a/decode-worker.ts': "console.log('a');",
      'src/b/decode-worker.ts': "console.log('b');",
    });
    await expect(
      bundleCommands({
        repoRoot: repo,
        archiveRoot: join(root, 'clash-archive'),
        bundleDir: 'lib',
        commands: [command('src/cmd.ts')],
        shippedFolders: [],
        external: [],
      }),
    ).rejects.toThrow(/two bundles would be lib\/decode-worker\.mjs/);
  });
});
