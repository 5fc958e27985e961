import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveConfig } from '../../../src/batch/model/config/resolve-config.ts';
import { serializeConfig } from '../../../src/batch/model/config/serialize-config.ts';
import { listCheckpoints } from '../../../src/batch/train/checkpoint/latest-checkpoint.ts';
import { readCheckpoint } from '../../../src/batch/train/checkpoint/read-checkpoint.ts';
import { readEpochRecords } from '../../../src/batch/train/logging/metrics-jsonl.ts';
import type { EpochRecord } from '../../../src/batch/train/metrics/epoch-record.ts';
import { readEventFile, scalarSeries } from '../train/logging/tfevents-decoder.ts';
import { runTsCli, type CliRun } from '../run-ts-cli.ts';
import { softwareWebGpu } from '../software-webgpu.ts';
import { makeTinyDataset, TINY_CONFIG } from '../train/loop/fixtures/tiny-dataset.ts';

const CLI = resolve('src/batch/cli/train.ts');
const root = mkdtempSync(join(tmpdir(), 'signcast-train-cli-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const EPOCHS = 6;
let data: string;
beforeAll(async () => {
  data = await makeTinyDataset(join(root, 'data'));
});

/** Runs the CLI as `npm run train` does, with no W&B key whatever the environment has. */
function runCli(args: readonly string[], whileRunning?: (pid: number) => Promise<void>): Promise<CliRun> {
  return runTsCli(CLI, args, whileRunning, { ...process.env, WANDB_API_KEY: '' });
}

const trainArgs = (out: string) => [
  '--data',
  data,
  '--preset',
  'demo',
  ...[...TINY_CONFIG, `epochs=${EPOCHS}`].flatMap((s) => ['--set', s]),
  '--threads',
  '1',
  '--out',
  out,
];

async function waitFor(condition: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 10));
  }
}

const hasCheckpoint = (dir: string) => async () => (await listCheckpoints(dir)).length > 0;

async function finalHash(runDir: string): Promise<{ step: number; sha256: string }> {
  const last = (await listCheckpoints(runDir)).at(-1)!;
  const { sidecar } = await readCheckpoint(last.dir);
  return { step: sidecar.step, sha256: sidecar.tensors.sha256 };
}

const withoutTimes = (records: EpochRecord[]) =>
  records.map(({ trainSeconds: _t, valSeconds: _v, samplesPerSecond: _s, time: _time, ...rest }) => rest);

describe('npm run train', () => {
  let reference: { dir: string; run: CliRun };
  beforeAll(async () => {
    const dir = join(root, 'reference');
    reference = { dir, run: await runCli(trainArgs(dir)) };
  });

  it('fills the run directory: config, artifacts, metrics, tfevents, checkpoints, best model, report', async () => {
    const { dir, run } = reference;
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/initial check on 5 clips: no NaN/);
    expect(run.stdout).toMatch(new RegExp(`epoch ${EPOCHS}/${EPOCHS} \\| train loss [\\d.]+ acc`));
    expect(run.stdout).toMatch(/done: \d+ steps, best val accuracy/);

    expect(readFileSync(join(dir, 'config.json'), 'utf8')).toBe(
      serializeConfig(resolveConfig('demo', [...TINY_CONFIG, `epochs=${EPOCHS}`])),
    );
    const record = JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8')) as Record<string, unknown>;
    expect(record).toMatchObject({
      val: 'participants',
      data: resolve(data),
      heldOutSigners: [expect.any(Number)],
    });
    for (const f of [
      'artifacts.json',
      'training_model.onnx',
      'eval_model.onnx',
      'optimizer_model.onnx',
      'inference_model.onnx',
      'checkpoint.safetensors',
    ])
      expect(existsSync(join(dir, 'artifacts', f))).toBe(true);

    const metrics = readEpochRecords(join(dir, 'metrics.jsonl'));
    expect(metrics.map((r) => r.epoch)).toEqual([1, 2, 3, 4, 5, 6]);
    const steps = metrics[0]!.step;
    expect(metrics.map((r) => r.step)).toEqual(metrics.map((r) => r.epoch * steps));
    for (const r of metrics) {
      for (const m of [r.train, r.val!]) {
        expect(m.loss).toBeGreaterThan(0);
        expect(m.top10).toBeGreaterThanOrEqual(m.top5);
        expect(m.top5).toBeGreaterThanOrEqual(m.accuracy);
      }
    }
    expect(metrics.at(-1)!.train.loss).toBeLessThan(metrics[0]!.train.loss);

    const eventFiles = readdirSync(dir).filter((f) => f.startsWith('events.out.tfevents.'));
    expect(eventFiles).toHaveLength(1);
    const events = readEventFile(new Uint8Array(readFileSync(join(dir, eventFiles[0]!))));
    const scalars = scalarSeries(events);
    expect(scalars.get('val/accuracy')!.map(([step]) => step)).toEqual(metrics.map((r) => r.step));
    expect(scalars.get('val/accuracy')!.map(([, v]) => v)).toEqual(
      metrics.map((r) => Math.fround(r.val!.accuracy)),
    );
    expect(scalars.get('train/step_loss')).toHaveLength(EPOCHS * steps);
    for (const tag of [
      'train/loss',
      'train/top5_accuracy',
      'val/top10_accuracy',
      'schedule/learning_rate',
      'landmark_weights/hand',
    ])
      expect(scalars.get(tag)).toHaveLength(EPOCHS);
    expect(events.some((e) => e.values?.[0]?.histogram && e.values[0].tag === 'init/softmax_outputs')).toBe(
      true,
    );

    expect((await listCheckpoints(dir)).map((c) => c.step)).toEqual([4, 5, 6].map((e) => e * steps));
    expect(existsSync(join(dir, 'best', 'checkpoint.json'))).toBe(true);
    const best = JSON.parse(readFileSync(join(dir, 'best', 'evaluation.json'), 'utf8')) as {
      metrics: { accuracy: number };
    };
    expect(best.metrics.accuracy).toBe(Math.max(...metrics.map((r) => r.val!.accuracy)));
    const report = readFileSync(join(dir, 'report.html'), 'utf8');
    expect(report.match(/<svg/g)?.length).toBe(6);
    expect(report).toMatch(/Per sign, by F1/);
  });

  it('resumes after SIGKILL from the last checkpoint to the same final parameters and metrics', async () => {
    const dir = join(root, 'killed');
    const killed = await runCli(trainArgs(dir), async (pid) => {
      await waitFor(hasCheckpoint(dir), 60_000);
      process.kill(pid, 'SIGKILL');
    });
    expect(killed.signal).toBe('SIGKILL');
    const savedStep = (await listCheckpoints(dir)).at(-1)!.step;
    const total = (await finalHash(reference.dir)).step;
    expect(savedStep).toBeLessThan(total);

    const resumed = await runCli(['--resume', dir, '--threads', '1']);
    expect(resumed.code).toBe(0);
    expect(resumed.stdout).toMatch(new RegExp(`resuming from step ${savedStep} \\(`));
    expect(await finalHash(dir)).toEqual(await finalHash(reference.dir));
    expect(withoutTimes(readEpochRecords(join(dir, 'metrics.jsonl')))).toEqual(
      withoutTimes(readEpochRecords(join(reference.dir, 'metrics.jsonl'))),
    );
    const eventFiles = readdirSync(dir)
      .filter((f) => f.startsWith('events.out.tfevents.'))
      .sort();
    expect(eventFiles).toHaveLength(2);
    const second = readEventFile(new Uint8Array(readFileSync(join(dir, eventFiles[1]!))));
    expect(second.find((e) => e.sessionStatus !== undefined)).toMatchObject({
      step: savedStep,
      sessionStatus: 1,
    });
  });

  it('saves a checkpoint on Ctrl-C, exits 130 and resumes to the same final parameters', async () => {
    const dir = join(root, 'interrupted');
    const interrupted = await runCli(trainArgs(dir), async (pid) => {
      await waitFor(hasCheckpoint(dir), 60_000);
      process.kill(pid, 'SIGINT');
    });
    expect(interrupted.code).toBe(130);
    expect(interrupted.stderr).toMatch(/SIGINT: saving a checkpoint after the current step/);
    const saved = /interrupted: saved step (\d+) to (\S+)/.exec(interrupted.stdout);
    expect(saved).not.toBeNull();
    expect(interrupted.stdout).toContain(`continue with: npm run train -- --resume ${dir}`);
    const latest = (await listCheckpoints(dir)).at(-1)!;
    expect(latest.step).toBe(Number(saved![1]));

    const resumed = await runCli(['--resume', dir, '--threads', '1']);
    expect(resumed.code).toBe(0);
    expect(resumed.stdout).toMatch(new RegExp(`resuming from step ${latest.step} \\(`));
    expect(await finalHash(dir)).toEqual(await finalHash(reference.dir));
  });

  it('refuses a run directory that already holds a run, and --ep webgpu without a GPU, with a clear message', async () => {
    const again = await runCli(trainArgs(reference.dir));
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/already holds a run: continue it with --resume/);
    const gpu = await runCli([...trainArgs(join(root, 'gpu')), '--ep', 'webgpu']);
    if (gpu.code !== 0) {
      expect(gpu.stderr).toMatch(/train failed: --ep webgpu: .*--ep cpu/s);
      // Checked before anything is written, so the same --out works with --ep cpu.
      expect(existsSync(join(root, 'gpu'))).toBe(false);
    }
  });
});

const gpu = softwareWebGpu();
describe.skipIf(!gpu.available)(`npm run train --ep webgpu (${gpu.description})`, () => {
  it('refuses mixed precision on an adapter without shader-f16 before writing anything', async () => {
    const out = join(root, 'fp16-swiftshader');
    const run = await runTsCli(
      CLI,
      [...trainArgs(out), '--set', 'train.precision=fp16', '--ep', 'webgpu'],
      undefined,
      { ...process.env, WANDB_API_KEY: '' },
    );
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(
      /train failed: --ep webgpu cannot run float16 arithmetic here \(its WebGPU adapter has no shader-f16 feature\).*--set train\.precision=fp32/s,
    );
    expect(existsSync(out)).toBe(false);
  });
});
