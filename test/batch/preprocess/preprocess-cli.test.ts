import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDataset } from '../../../src/batch/data/dataset/open-dataset.ts';
import { runTsCli, type CliRun } from '../run-ts-cli.ts';
import { waitFor } from '../wait-for.ts';
import { hasRealData } from '../../shared/real-files.ts';
import { makeRealDataDir } from './fixtures/real-data-dir.ts';

const CLI = resolve('src/batch/cli/preprocess.ts');
const root = mkdtempSync(join(tmpdir(), 'signcast-preprocess-cli-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const runCli = (args: readonly string[], whileRunning?: (pid: number) => Promise<void>): Promise<CliRun> =>
  runTsCli(CLI, args, whileRunning);

describe.skipIf(!hasRealData)('npm run preprocess', () => {
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
