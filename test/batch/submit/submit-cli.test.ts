import {
  appendFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runTsCli, type CliRun } from '../run-ts-cli.ts';
import { waitFor } from '../wait-for.ts';
import { hasRealData, REAL_DIR } from '../../shared/real-files.ts';
import { copyFixtureBundle, FIXTURE_BUNDLE, makeRealDataDir } from './fixtures/data-dirs.ts';

const CLI = resolve('src/batch/cli/submit.ts');
const root = mkdtempSync(join(tmpdir(), 'signcast-submit-cli-'));
const data = join(root, 'data');
const CORRUPT = 'corrupt/1.parquet';
let clips = 0;
let reference = '';
afterAll(() => rmSync(root, { recursive: true, force: true }));

const runCli = (args: readonly string[], whileRunning?: (pid: number) => Promise<void>): Promise<CliRun> =>
  runTsCli(CLI, args, whileRunning);

/** Journal records so far (lines after the header). */
function journalRecords(journal: string): number {
  if (!existsSync(journal)) return 0;
  return Math.max(0, readFileSync(journal, 'utf8').split('\n').length - 2);
}

function args(out: string, ...more: string[]): string[] {
  const csv = join(data, 'listing.csv');
  return [
    '--data',
    data,
    '--csv',
    csv,
    '--model',
    FIXTURE_BUNDLE,
    '--out',
    out,
    '--batch',
    '4',
    '--workers',
    '1',
    '--threads',
    '1',
    '--top',
    '3',
    '--probs',
    ...more,
  ];
}

beforeAll(async () => {
  // 500 real clips and one corrupt file: long enough to interrupt, with an errors.csv line.
  clips = makeRealDataDir(data, 10).clips + 1;
  mkdirSync(join(data, 'corrupt'));
  const good = readFileSync(join(REAL_DIR, 'train_landmark_files/2044/1813099846.parquet'));
  writeFileSync(join(data, CORRUPT), good.subarray(0, good.length >> 1));
  const knownSign = readFileSync(join(data, 'listing.csv'), 'utf8').split('\n')[1]!.split(',')[3];
  appendFileSync(join(data, 'listing.csv'), `${CORRUPT},2044,1,${knownSign}\n`);

  const run = await runCli(args(join(root, 'ref', 'submission.csv')));
  expect(run.stderr).not.toMatch(/submit failed/);
  expect(run.code).toBe(0);
  reference = readFileSync(join(root, 'ref', 'submission.csv'), 'utf8');
  expect(reference.split('\n')).toHaveLength(clips + 2);
});

describe.skipIf(!hasRealData)('npm run submit', () => {
  it('after SIGKILL midway (and a torn journal line), the same command finishes with the same bytes', async () => {
    const out = join(root, 'killed', 'submission.csv');
    const journal = `${out}.journal`;
    const killed = await runCli(args(out), async (pid) => {
      await waitFor(() => journalRecords(journal) >= 12, 30_000);
      process.kill(pid, 'SIGKILL');
    });
    expect(killed.signal).toBe('SIGKILL');
    const journalled = journalRecords(journal);
    expect(journalled).toBeGreaterThanOrEqual(12);
    expect(journalled).toBeLessThan(clips);
    expect(existsSync(out)).toBe(false);
    // As if the kill had landed in the middle of an append.
    appendFileSync(journal, '{"i":9999,"t":[1,');

    const resumed = await runCli(args(out));
    expect(resumed.code).toBe(0);
    expect(resumed.stderr).toMatch(/resuming: \d+ clips already scored/);
    const fromJournal = Number(/resuming: (\d+) clips/.exec(resumed.stderr)![1]);
    expect(fromJournal).toBeGreaterThanOrEqual(journalled - 3);
    expect(resumed.stdout).toContain(`${clips - fromJournal} scored now, ${fromJournal} from the journal`);
    expect(readFileSync(out, 'utf8')).toBe(reference);
    expect(readFileSync(join(root, 'killed', 'errors.csv'), 'utf8')).toBe(
      readFileSync(join(root, 'ref', 'errors.csv'), 'utf8'),
    );
    expect(existsSync(journal)).toBe(false);
  });

  it('stops cleanly on SIGINT, refuses to mix models into the journal, then resumes to the same bytes', async () => {
    const out = join(root, 'interrupted', 'submission.csv');
    const journal = `${out}.journal`;
    const interrupted = await runCli(args(out), async (pid) => {
      await waitFor(() => journalRecords(journal) >= 8, 30_000);
      process.kill(pid, 'SIGINT');
    });
    expect(interrupted.code).toBe(130);
    expect(interrupted.stderr).toMatch(/SIGINT: stopping after the current batch/);
    expect(interrupted.stdout).toMatch(/interrupted: results so far are kept in .*submission\.csv\.journal/);
    expect(interrupted.stdout).toContain(`npm run submit -- ${args(out).join(' ')}`);
    expect(journalRecords(journal)).toBeLessThan(clips);
    expect(existsSync(out)).toBe(false);

    const otherModel = await runCli(args(out, '--precision', 'float32'));
    expect(otherModel.code).toBe(1);
    expect(otherModel.stderr).toMatch(
      /this journal was made with model fixture-tiny int8 .* instead of fixture-tiny float32.*\[journal_mismatch\]/,
    );

    const resumed = await runCli(args(out));
    expect(resumed.code).toBe(0);
    expect(readFileSync(out, 'utf8')).toBe(reference);
  });

  it('exits 1 naming the problem for a tampered bundle', async () => {
    const bundle = copyFixtureBundle(join(root, 'tampered'));
    const model = readFileSync(join(bundle, 'model.int8.onnx'));
    model[100]! ^= 0xff;
    writeFileSync(join(bundle, 'model.int8.onnx'), model);
    const out = join(root, 'tampered-out', 'submission.csv');
    const run = await runCli(args(out).map((a) => (a === FIXTURE_BUNDLE ? bundle : a)));
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/submit failed: model.int8.onnx has SHA-256 .* \[hash_mismatch\]/);
    expect(existsSync(out)).toBe(false);
  });
});
