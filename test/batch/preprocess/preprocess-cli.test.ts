import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { openDataset } from '../../../src/batch/data/dataset/open-dataset.ts';
import { makeRealDataDir } from './fixtures/real-data-dir.ts';

const CLI = resolve('src/batch/cli/preprocess.ts');
const TSX = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
const root = mkdtempSync(join(tmpdir(), 'signcast-preprocess-cli-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the CLI as `npm run preprocess` does (tsx), calling `whileRunning` with the child's pid. */
function runCli(args: readonly string[], whileRunning?: (pid: number) => Promise<void>): Promise<Run> {
  const child = spawn(process.execPath, ['--import', TSX, CLI, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<number | null>((done) => child.on('close', (code) => done(code)));
  void whileRunning?.(child.pid!);
  return exited.then((code) => ({ code, stdout, stderr }));
}

async function waitFor(condition: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('npm run preprocess', () => {
  it('stops cleanly on SIGINT, says how to resume, and resumes without redoing finished shards', async () => {
    const data = join(root, 'data');
    const { listed, rows } = makeRealDataDir(data, 8);
    const out = join(root, 'out');
    const args = ['--data', data, '--out', out, '--workers', '1', '--shard-size', '10'];
    const firstShard = join(out, 'journal', 'shard-00000.json');

    const interrupted = await runCli(args, async (pid) => {
      await waitFor(() => existsSync(firstShard), 30_000);
      process.kill(pid, 'SIGINT');
    });
    expect(interrupted.code).toBe(130);
    expect(interrupted.stderr).toMatch(/SIGINT: stopping/);
    expect(interrupted.stdout).toMatch(/interrupted: .*run the same command again/);
    expect(interrupted.stdout).toContain(`npm run preprocess -- ${args.join(' ')}`);
    const done = readdirSync(out).filter((f) => f.endsWith('.arrow'));
    expect(done.length).toBeGreaterThanOrEqual(1);
    expect(done.length).toBeLessThan(Math.ceil(listed / 10));
    expect(existsSync(join(out, 'dataset.json'))).toBe(false);
    const mtimes = new Map(done.map((f) => [f, statSync(join(out, f)).mtimeMs]));

    const resumed = await runCli(args);
    expect(resumed.code).toBe(0);
    expect(resumed.stderr).toContain(`resuming: ${done.length}/${Math.ceil(listed / 10)} shards`);
    expect(resumed.stdout).toMatch(new RegExp(`files ok: ${rows}, rejected: 3 \\(`));
    expect(resumed.stdout).toContain(`${done.length} reused`);
    for (const [file, mtime] of mtimes) expect(statSync(join(out, file)).mtimeMs).toBe(mtime);
    const dataset = openDataset(out);
    expect(dataset.length).toBe(rows);
    expect(new Set(dataset.sequenceIds).size).toBe(rows);
  });

  it('exits 1 with the reason when the index cannot be read', async () => {
    const run = await runCli(['--data', join(root, 'nowhere'), '--out', join(root, 'x')]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/preprocess failed: .*nowhere.*\[file_unreadable\]/);
  });
});
