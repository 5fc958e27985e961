import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ARCHIVE_COMMANDS, EXTERNAL_PACKAGES } from '../../../src/batch/pack/archive-layout.ts';
import { devDependencyNode } from '../../../src/batch/pack/node-binary.ts';
import { packArchive, type PackResult } from '../../../src/batch/pack/pack-archive.ts';
import { listCheckpoints } from '../../../src/batch/train/checkpoint/latest-checkpoint.ts';
import { readEpochRecords } from '../../../src/batch/train/logging/metrics-jsonl.ts';

/**
 * `npm run pack`'s archive, as a GPU box gets it: packed (xz -0 here: the layout is the real one, only
 * the compression is faster), unpacked into a temporary folder and run from there, with a PATH holding
 * no node, npm or tsx, and HOME and the working directory outside the checkout.
 */
const REPO = resolve('.');
const root = mkdtempSync(join(tmpdir(), 'signcast-pack-test-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const EPOCHS = 2;
const TINY = [
  'classes=5',
  'landmark_units=16',
  'units=16',
  'heads=2',
  'blocks=1',
  'batch_all_signs_n=1',
  'val_batch=8',
];

let packed: PackResult;
let box: string;
const work = join(root, 'work');
const bin = join(root, 'bin');
const env: NodeJS.ProcessEnv = { PATH: bin, HOME: join(root, 'home'), LANG: 'C.UTF-8' };

beforeAll(async () => {
  packed = await packArchive({
    repoRoot: REPO,
    outDir: join(root, 'dist'),
    nodeBinary: devDependencyNode(REPO),
    xzLevel: 0,
  });
  mkdirSync(join(root, 'unpacked'));
  execFileSync('tar', ['-xJf', packed.archive, '-C', join(root, 'unpacked')]);
  box = join(root, 'unpacked', packed.rootName);
  for (const dir of [work, bin, env.HOME!]) mkdirSync(dir, { recursive: true });
  // The launcher follows a symlink to itself with readlink where there is one: the only tool on PATH.
  const readlink = ['/usr/bin/readlink', '/bin/readlink'].find((p) => existsSync(p));
  if (readlink) symlinkSync(readlink, join(bin, 'readlink'));
}, 300_000);

interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

function signcast(args: readonly string[], cwd = work, launcher = join(box, 'signcast')): Promise<Run> {
  const child = spawn(launcher, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((done) => child.on('close', (code) => done({ code, stdout, stderr })));
}

const lines = (path: string) => readFileSync(path, 'utf8').trim().split('\n');

describe('npm run pack', () => {
  it('names the archive after the version and platform and unpacks to one folder', () => {
    const { version } = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { version: string };
    expect(packed.archive).toBe(join(root, 'dist', `signcast-${version}-linux-x64.tar.xz`));
    expect(readdirSync(join(root, 'unpacked'))).toEqual([packed.rootName]);
    expect(packed.bytes).toBeGreaterThan(0);
  });

  it('ships Node, the bundles and only the external packages, with linux-x64 binaries only', () => {
    expect(readdirSync(box).sort()).toEqual(
      [
        'README.md',
        'THIRD_PARTY_LICENSES.txt',
        'lib',
        'models',
        'node',
        'node_modules',
        'presets',
        'signcast',
      ].sort(),
    );
    expect(readdirSync(join(box, 'node_modules')).sort()).toEqual(
      EXTERNAL_PACKAGES.map((p) => p.name).sort(),
    );
    expect(readdirSync(join(box, 'node_modules/onnxruntime-node/bin/napi-v6'))).toEqual(['linux']);
    expect(readdirSync(join(box, 'node_modules/onnxruntime-node/bin/napi-v6/linux'))).toEqual(['x64']);
    const bundles = readdirSync(join(box, 'lib')).filter((f) => f.endsWith('.mjs'));
    for (const c of ARCHIVE_COMMANDS) expect(bundles).toContain(`${c.name}.mjs`);
    expect(readdirSync(box, { recursive: true }).filter((f) => String(f).endsWith('.ts'))).toEqual([]);
    const licences = readFileSync(join(box, 'THIRD_PARTY_LICENSES.txt'), 'utf8');
    for (const name of ['Node.js', 'onnxruntime-node@', 'commander@', 'apache-arrow@'])
      expect(licences).toContain(name);
  });

  it('lists its commands and says its version, also through a symlink from elsewhere', async () => {
    symlinkSync(join(box, 'signcast'), join(bin, 'signcast'));
    const help = await signcast(['--help'], work, join(bin, 'signcast'));
    expect(help.code).toBe(0);
    for (const c of ARCHIVE_COMMANDS)
      expect(help.stdout).toMatch(new RegExp(`^  ${c.name} +${c.summary.slice(0, 10)}`, 'm'));
    const version = await signcast(['--version'], work, join(bin, 'signcast'));
    expect(version.code).toBe(0);
    expect(version.stdout).toMatch(/^signcast \d+\.\d+\.\d+.* linux-x64, onnxruntime-node \d/);
    expect(version.stdout).toMatch(/^node v2[2-9]\./m);
    const unknown = await signcast(['../lib/train']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/unknown command \.\.\/lib\/train/);
  });

  it('makes a dataset, preprocesses it and trains a tiny run, worker threads included', async () => {
    const synth = await signcast([
      'synth',
      '--out',
      'raw',
      '--signs',
      '5',
      '--signers',
      '4',
      '--clips',
      '40',
      '--test-clips',
      '6',
      '--workers',
      '2',
    ]);
    expect(synth.stderr).not.toMatch(/Error/);
    expect(synth.code).toBe(0);
    expect(lines(join(work, 'raw/train.csv'))).toHaveLength(41);

    const pre = await signcast(['preprocess', '--data', 'raw', '--out', 'pre', '--workers', '2']);
    expect(pre.code).toBe(0);
    expect(existsSync(join(work, 'pre/dataset.json'))).toBe(true);

    const train = await signcast([
      'train',
      '--data',
      'pre',
      '--preset',
      'demo',
      ...[...TINY, `epochs=${EPOCHS}`].flatMap((s) => ['--set', s]),
      '--threads',
      '1',
      // The GPU's default, here on the CPU: the bundled staging worker must start and pack.
      '--staging',
      'worker',
      '--out',
      'runs/tiny',
    ]);
    expect(train.stdout).toMatch(/done: \d+ steps, best val accuracy/);
    expect(train.code).toBe(0);
    const records = readEpochRecords(join(work, 'runs/tiny/metrics.jsonl'));
    expect(records.map((r) => r.epoch)).toEqual([1, 2]);
    expect((await listCheckpoints(join(work, 'runs/tiny'))).length).toBeGreaterThan(0);
    expect(readFileSync(join(work, 'runs/tiny/report.html'), 'utf8')).toMatch(/<svg/);
  });

  it('exports the run, measuring it in onnxruntime-web too', async () => {
    const exported = await signcast([
      'export',
      '--run',
      'runs/tiny',
      '--out',
      'models/tiny',
      '--latency-runs',
      '3',
    ]);
    expect(exported.code, exported.stderr).toBe(0);
    const manifest = readFileSync(join(work, 'models/tiny/manifest.json'), 'utf8');
    expect(manifest).toContain('onnxruntime-web-wasm');
  });

  it('scores the test clips with the shipped models/demo, its default from the archive folder', async () => {
    const csv = join(work, 'raw/test.csv');
    const out = join(work, 'submission.csv');
    const submit = await signcast(
      ['submit', '--data', join(work, 'raw'), '--csv', csv, '--out', out, '--workers', '2'],
      box,
    );
    expect(submit.code).toBe(0);
    const rows = lines(out);
    expect(rows[0]).toBe('sequence_id,sign');
    expect(rows).toHaveLength(lines(csv).length);
  });

  it("times the trainer's step, the tool for a GPU box's figures", async () => {
    const bench = await signcast([
      'bench-train-step',
      '--preset',
      'demo',
      ...[...TINY, 'frames=16'].flatMap((s) => ['--set', s]),
      '--batch',
      '8',
      '--steps',
      '1',
      '--frames',
      '6',
      '--threads',
      '1',
    ]);
    expect(bench.code, bench.stderr).toBe(0);
    expect(bench.stdout).toMatch(/cpu batch 8: \d+ clips\/s/);
  });

  it('checks the GPU and exits 0 exactly when a WebGPU session opens', async () => {
    const check = await signcast(['gpu-check']);
    for (const what of ['NVIDIA driver', 'Vulkan loader', 'Vulkan drivers', 'WebGPU adapter']) {
      expect(check.stdout).toMatch(new RegExp(`^${what} +(ok|missing|note) `, 'm'));
    }
    const adapterOk = /^WebGPU adapter +ok /m.test(check.stdout);
    expect(check.code).toBe(adapterOk ? 0 : 1);
    // Whether mixed precision can run is asked of a working adapter only.
    expect(/^float16 \(mixed precision\) +(ok|note) /m.test(check.stdout)).toBe(adapterOk);
    expect(check.stdout).toContain(
      adapterOk ? 'can train with --ep webgpu' : 'cannot train with --ep webgpu',
    );
  });
});
