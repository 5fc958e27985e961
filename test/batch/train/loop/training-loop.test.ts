import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDataset } from '../../../../src/batch/data/dataset/open-dataset.ts';
import type { Dataset } from '../../../../src/batch/data/dataset/open-dataset.ts';
import { FRAME_POINT_VALUES } from '../../../../src/batch/model/frame-packing.ts';
import { resolveConfig } from '../../../../src/batch/model/config/resolve-config.ts';
import { listCheckpoints } from '../../../../src/batch/train/checkpoint/latest-checkpoint.ts';
import { readCheckpoint } from '../../../../src/batch/train/checkpoint/read-checkpoint.ts';
import { readEpochRecords } from '../../../../src/batch/train/logging/metrics-jsonl.ts';
import {
  BatchAssembler,
  InlineBatches,
  StagedBatches,
} from '../../../../src/batch/train/loop/step-batches.ts';
import type {
  BatchRequest,
  BatchStaging,
  EpochBatches,
} from '../../../../src/batch/train/loop/step-batches.ts';
import type { PackedBatch } from '../../../../src/batch/model/frame-packing.ts';
import { runTraining } from '../../../../src/batch/train/loop/training-loop.ts';
import type {
  TrainingObserver,
  TrainingOutcome,
} from '../../../../src/batch/train/loop/training-observer.ts';
import { createRun, openRun } from '../../../../src/batch/train/run-dir/prepare-run.ts';
import type { PreparedRun } from '../../../../src/batch/train/run-dir/prepare-run.ts';
import { heldOutSigners } from '../../../../src/batch/train/run-dir/held-out-signers.ts';
import type { EpochRecord } from '../../../../src/batch/train/metrics/epoch-record.ts';
import { softwareWebGpu } from '../../software-webgpu.ts';
import { makeTinyDataset, TINY_CONFIG } from './fixtures/tiny-dataset.ts';

const root = mkdtempSync(join(tmpdir(), 'signcast-loop-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let dataset: Dataset;
beforeAll(async () => {
  dataset = openDataset(await makeTinyDataset(join(root, 'data')));
});

/** A fresh run of the demo preset on the tiny dataset; `overrides` after TINY_CONFIG (3 epochs by default). */
async function newRun(
  name: string,
  overrides: readonly string[] = ['epochs=3'],
  val: 'participants' | 'none' = 'participants',
): Promise<PreparedRun> {
  return createRun({
    runDir: join(root, name),
    config: resolveConfig('demo', [...TINY_CONFIG, ...overrides]),
    preset: 'demo',
    overrides: [],
    dataset,
    val,
  });
}

async function train(
  run: PreparedRun,
  observers: TrainingObserver[] = [],
  signal?: AbortSignal,
  ep: 'cpu' | 'webgpu' = 'cpu',
  staging?: BatchStaging,
): Promise<TrainingOutcome> {
  return runTraining({
    runDir: run.runDir,
    manifest: run.manifest,
    artifactsDir: run.artifactsDir,
    dataset,
    trainRows: run.trainRows,
    valRows: run.valRows,
    session: { ep, threads: 1 },
    observers,
    ...(signal ? { signal } : {}),
    ...(staging ? { staging } : {}),
  });
}

/** Aborts once `step` optimizer steps are done, as Ctrl-C would between two steps. */
function abortAfter(step: number): { observer: TrainingObserver; signal: AbortSignal } {
  const controller = new AbortController();
  return {
    observer: { stepDone: (info) => (info.step === step ? controller.abort() : undefined) },
    signal: controller.signal,
  };
}

async function finalTensorsHash(runDir: string): Promise<string> {
  const last = (await listCheckpoints(runDir)).at(-1)!;
  return (await readCheckpoint(last.dir)).sidecar.tensors.sha256;
}

const withoutTimes = (records: EpochRecord[]) =>
  records.map(({ trainSeconds: _t, valSeconds: _v, samplesPerSecond: _s, time: _time, ...rest }) => rest);

describe('the validation split', () => {
  it('holds out ceil(10%) of the signers, the same ones for the same seed', () => {
    const ids = Array.from({ length: 210 }, (_, i) => 1000 + (i % 21));
    const a = heldOutSigners(ids, 42);
    expect(a).toHaveLength(3);
    expect(heldOutSigners([...ids].reverse(), 42)).toEqual(a);
    expect(heldOutSigners(ids, 43)).not.toEqual(a);
    expect(heldOutSigners([5, 5, 5], 42)).toEqual([]);
    expect(heldOutSigners([1, 2], 42)).toHaveLength(1);
  });
});

describe('batch assembly', () => {
  it('packs the real frames of dataset rows, labels and indices alongside, into buffers kept between batches', () => {
    const batches = new BatchAssembler(dataset, 4, 64);
    const rows = Uint32Array.from([5, 0, 9, 3]);
    const first = batches.gather(rows, null);
    const T = 64;
    const realSlots = Array.from(rows).flatMap((row, b) =>
      Array.from(dataset.nonEmptyFrameIdxs(row)).flatMap((idx, t) => (idx === -1 ? [] : [b * T + t])),
    );
    expect(Array.from(first.slots)).toEqual(realSlots);
    expect(first.rows).toBe(realSlots.length);
    realSlots.forEach((slot, r) => {
      const row = rows[Math.floor(slot / T)]!;
      const t = slot % T;
      expect(first.frames.subarray(r * FRAME_POINT_VALUES, (r + 1) * FRAME_POINT_VALUES)).toEqual(
        dataset.frames(row).subarray(t * FRAME_POINT_VALUES, (t + 1) * FRAME_POINT_VALUES),
      );
      expect(first.rowOfSlot[slot]).toBe(r);
      expect(first.mask[slot]).toBe(1);
    });
    expect(Array.from(first.labels)).toEqual(Array.from(rows, (row) => dataset.labels[row]!));
    // Buffers are reused: the next batch is packed where the first was.
    const second = batches.gather(Uint32Array.from([7, 8]), { key: 99, keep: 0.5 });
    expect(second.batch).toBe(2);
    expect(second.frames.buffer).toBe(first.frames.buffer);
    expect(() => batches.gather(new Uint32Array(5), null)).toThrow(RangeError);
  });

  /** A copy of a packed batch's contents (its views are reused by the next batch). */
  const contents = (b: PackedBatch) => ({
    batch: b.batch,
    rows: b.rows,
    frames: Array.from(b.frames),
    slots: Array.from(b.slots),
    rowOfSlot: Array.from(b.rowOfSlot),
    mask: Array.from(b.mask),
    nonEmptyFrameIdxs: Array.from(b.nonEmptyFrameIdxs),
    labels: Array.from(b.labels),
  });
  const requests = (seed: number): BatchRequest[] =>
    Array.from({ length: 5 }, (_, k) => ({
      rows: Uint32Array.from({ length: 4 - (k % 2) }, (_, i) => (seed * 7 + k * 5 + i * 3) % dataset.length),
      masking: k === 2 ? null : { key: seed * 100 + k, keep: 0.6 },
    }));

  it('staged on a worker thread, one batch ahead, gives the bytes packed inline, epoch after epoch', async () => {
    const inline = new InlineBatches(new BatchAssembler(dataset, 4, 64));
    const staged = new StagedBatches(
      dataset.shards.map((s) => s.bytes),
      4,
      64,
    );
    try {
      for (const seed of [1, 2]) {
        const plan = requests(seed);
        inline.plan(plan);
        staged.plan(plan);
        for (let k = 0; k < plan.length; k++) {
          const got = await staged.next();
          // The next batch is being packed now, in the other buffers: this one must stay as it is.
          await new Promise((resolve) => setTimeout(resolve, 20));
          expect(contents(got), `plan ${seed}, batch ${k}`).toEqual(contents(await inline.next()));
        }
      }
      await expect(staged.next()).rejects.toThrow(/no batch planned/);
    } finally {
      await staged.close();
      await inline.close();
    }
  });

  it('staged: a row the dataset lacks fails that batch with a message naming it; close drops a batch in flight', async () => {
    const staged: EpochBatches = new StagedBatches(
      dataset.shards.map((s) => s.bytes),
      4,
      64,
    );
    try {
      staged.plan([{ rows: Uint32Array.from([0, dataset.length + 3]), masking: null }]);
      await expect(staged.next()).rejects.toThrow(`row ${dataset.length + 3} is outside the dataset`);
    } finally {
      await staged.close();
    }
    const dropped = new StagedBatches(
      dataset.shards.map((s) => s.bytes),
      4,
      64,
    );
    dropped.plan(requests(3));
    await dropped.next();
    expect(() => dropped.plan(requests(4))).toThrow(/were not taken/);
    await dropped.close();
  });
});

describe('runTraining', () => {
  let reference: { run: PreparedRun; outcome: TrainingOutcome };
  beforeAll(async () => {
    const run = await newRun('reference');
    reference = { run, outcome: await train(run) };
  });

  it('trains every epoch, validates, keeps the best model and a checkpoint per epoch', async () => {
    const { run, outcome } = reference;
    expect(outcome.status).toBe('complete');
    const steps = outcome.step / 3;
    expect(Number.isInteger(steps) && steps > 2).toBe(true);
    const records = readEpochRecords(join(run.runDir, 'metrics.jsonl'));
    // Nothing is written to metrics.jsonl by the loop itself: observers do that (tested through the CLI).
    expect(records).toEqual([]);
    expect((await listCheckpoints(run.runDir)).map((c) => c.step)).toEqual([steps, 2 * steps, 3 * steps]);
    expect(existsSync(join(run.runDir, 'best', 'evaluation.json'))).toBe(true);
    expect(existsSync(join(run.runDir, 'initial-check.json'))).toBe(true);
    const first = await readCheckpoint(join(run.artifactsDir));
    const last = await readCheckpoint((await listCheckpoints(run.runDir)).at(-1)!.dir);
    expect(last.sidecar).toMatchObject({ step: 3 * steps, epoch: 3, epochStep: 0 });
    expect(last.parameters[0]!.data).not.toEqual(first.parameters[0]!.data);
  });

  it('resumes mid-epoch and at an epoch end to the same parameters and metrics as an uninterrupted run', async () => {
    const records = async (
      run: PreparedRun,
      events: EpochRecord[],
      abortAt?: number,
      staging?: BatchStaging,
    ) => {
      const abort = abortAt === undefined ? undefined : abortAfter(abortAt);
      const observers: TrainingObserver[] = [{ epochDone: (r) => void events.push(r) }];
      if (abort) observers.push(abort.observer);
      return train(run, observers, abort?.signal, 'cpu', staging);
    };
    const full: EpochRecord[] = [];
    const again = await newRun('again');
    // Batches staged on a worker thread: the same bytes, so the same parameters bit for bit.
    await records(again, full, undefined, 'worker');
    expect(await finalTensorsHash(again.runDir)).toBe(await finalTensorsHash(reference.run.runDir));
    const steps = reference.outcome.step / 3;

    for (const [name, at] of [
      ['mid-epoch', steps + 2],
      ['epoch-end', steps],
    ] as const) {
      const run = await newRun(name);
      const seen: EpochRecord[] = [];
      // Interrupted with a batch being staged; resumed packing inline.
      const stopped = await records(run, seen, at, 'worker');
      expect(stopped).toMatchObject({ status: 'interrupted', step: at, epoch: Math.floor((at - 1) / steps) });
      const saved = await readCheckpoint((await listCheckpoints(run.runDir)).at(-1)!.dir);
      expect(saved.sidecar).toMatchObject({ step: at, epochStep: at === steps ? steps : 2 });

      const resumed = await records(openRun(run.runDir, dataset), seen);
      expect(resumed).toMatchObject({ status: 'complete', step: 3 * steps });
      expect(await finalTensorsHash(run.runDir)).toBe(await finalTensorsHash(reference.run.runDir));
      expect(withoutTimes(seen)).toEqual(withoutTimes(full));
      expect(readFileSync(join(run.runDir, 'best', 'evaluation.json'), 'utf8')).toBe(
        readFileSync(join(reference.run.runDir, 'best', 'evaluation.json'), 'utf8'),
      );
    }
  });
});

const gpu = softwareWebGpu();
describe.skipIf(!gpu.available)(
  `--ep webgpu, the step's state kept on the device (${gpu.description})`,
  () => {
    it('trains as on the CPU, checkpoints from the device and resumes exactly', async () => {
      const cpu: EpochRecord[] = [];
      const cpuRun = await newRun('cpu-2', ['epochs=2']);
      await train(cpuRun, [{ epochDone: (r) => void cpu.push(r) }]);
      const run = await newRun('webgpu', ['epochs=2']);
      const steps = cpu.at(-1)!.step / 2;
      const seen: EpochRecord[] = [];
      const abort = abortAfter(steps + 1);
      const stopped = await train(
        run,
        [{ epochDone: (r) => void seen.push(r) }, abort.observer],
        abort.signal,
        'webgpu',
      );
      expect(stopped).toMatchObject({ status: 'interrupted', step: steps + 1 });
      const resumed = await train(
        openRun(run.runDir, dataset),
        [{ epochDone: (r) => void seen.push(r) }],
        undefined,
        'webgpu',
      );
      expect(resumed).toMatchObject({ status: 'complete', step: 2 * steps });
      expect(seen.map((r) => r.epoch)).toEqual([1, 2]);
      for (const [i, record] of seen.entries()) {
        const reference = cpu[i]!;
        // Same batches, same noise bits, same frames: only float rounding in other kernels differs.
        expect(Math.abs(record.train.loss - reference.train.loss), `epoch ${i + 1} loss`).toBeLessThan(1e-4);
        expect(record.train.accuracy).toBe(reference.train.accuracy);
        expect(Math.abs(record.val!.loss - reference.val!.loss)).toBeLessThan(1e-4);
      }
      const gpuLast = await readCheckpoint((await listCheckpoints(run.runDir)).at(-1)!.dir);
      const cpuLast = await readCheckpoint((await listCheckpoints(cpuRun.runDir)).at(-1)!.dir);
      for (const [i, p] of gpuLast.parameters.entries()) {
        const reference = cpuLast.parameters[i]!.data as Float32Array;
        const scale = Math.max(1e-6, ...Array.from(reference, Math.abs));
        const diff = Math.max(...Array.from(p.data as Float32Array, (v, k) => Math.abs(v - reference[k]!)));
        expect(diff / scale, p.name).toBeLessThan(1e-3);
      }
    });
  },
);

describe('--val none', () => {
  it('trains on every signer, with no validation and so no best model', async () => {
    const run = await newRun('no-val', ['epochs=1'], 'none');
    expect(run.valRows).toBeNull();
    expect(run.trainRows).toHaveLength(dataset.length);
    const records: EpochRecord[] = [];
    const outcome = await train(run, [{ epochDone: (r) => void records.push(r) }]);
    expect(outcome).toMatchObject({ status: 'complete', best: null });
    expect(records.map((r) => r.val)).toEqual([null]);
    expect(existsSync(join(run.runDir, 'best'))).toBe(false);
  });
});

describe('mixed precision (train.precision fp16) on the CPU', () => {
  it('trains close to float32, records its loss scale, and resumes mid-epoch to the same parameters', async () => {
    const fp16Run = (name: string) => newRun(name, ['epochs=2', 'train.precision=fp16']);
    const full: EpochRecord[] = [];
    const whole = await fp16Run('fp16-whole');
    await train(whole, [{ epochDone: (r) => void full.push(r) }]);
    expect(full.map((r) => r.mixedPrecision)).toEqual([
      { lossScale: 4096, skippedSteps: 0 },
      { lossScale: 4096, skippedSteps: 0 },
    ]);

    const fp32: EpochRecord[] = [];
    const reference = await newRun('fp32-beside-fp16', ['epochs=2']);
    await train(reference, [{ epochDone: (r) => void fp32.push(r) }]);
    for (const [i, r] of full.entries()) {
      expect(r.train.loss).not.toBe(fp32[i]!.train.loss);
      expect(Math.abs(r.train.loss - fp32[i]!.train.loss) / fp32[i]!.train.loss).toBeLessThan(1e-2);
    }

    const steps = full[0]!.step;
    const run = await fp16Run('fp16-resumed');
    const seen: EpochRecord[] = [];
    const abort = abortAfter(steps + 1);
    await train(run, [{ epochDone: (r) => void seen.push(r) }, abort.observer], abort.signal);
    const saved = await readCheckpoint((await listCheckpoints(run.runDir)).at(-1)!.dir);
    expect(saved.sidecar.metrics).toMatchObject({ 'amp/loss_scale': 4096, 'amp/good_steps': steps + 1 });
    await train(openRun(run.runDir, dataset), [{ epochDone: (r) => void seen.push(r) }]);
    expect(await finalTensorsHash(run.runDir)).toBe(await finalTensorsHash(whole.runDir));
    expect(withoutTimes(seen)).toEqual(withoutTimes(full));
  });
});
