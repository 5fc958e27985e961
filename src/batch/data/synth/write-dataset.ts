/**
 * Writes a synthetic dataset in the Kaggle ASL-Signs layout:
 *   <out>/train.csv, <out>/sign_to_prediction_index_map.json, <out>/train_landmark_files/<pid>/<sid>.parquet
 * and, with test clips, <out>/test.csv, <out>/test_labels.csv, <out>/test_landmark_files/<pid>/<sid>.parquet.
 * Parquet files are spread over worker threads; the CSVs and the map are written last, so a dataset with a
 * train.csv is complete.
 */
import { mkdirSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname, join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { formatSignMap, SIGN_MAP_FILE } from '../kaggle/write-sign-map.ts';
import { formatTestCsv, formatTestLabelsCsv, TEST_CSV, TEST_LABELS_CSV } from '../kaggle/write-test-csv.ts';
import type { ClipIndexEntry } from '../kaggle/write-train-csv.ts';
import { formatTrainCsv } from '../kaggle/write-train-csv.ts';
import { writeFileAtomic } from '../dataset/write-file-atomic.ts';
import type { ClipWorkerData, ClipWorkerReply } from './clip-worker.ts';
import type { DatasetPlan, PlannedClip, SynthOptions } from './dataset-plan.ts';
import { planDataset } from './dataset-plan.ts';
import type { ClipFileStats } from './write-clip-file.ts';
import { writeClipFile } from './write-clip-file.ts';

export interface SynthProgress {
  readonly done: number;
  readonly total: number;
  readonly bytes: number;
}

export interface WriteSynthOptions extends SynthOptions {
  readonly out: string;
  /** Worker threads; 0 generates in the calling thread. Default: one per core. */
  readonly workers?: number;
  readonly onProgress?: (progress: SynthProgress) => void;
}

export interface SynthSummary {
  readonly out: string;
  readonly trainClips: number;
  readonly testClips: number;
  readonly signs: number;
  readonly signers: number;
  readonly leftDominantSigners: number;
  readonly frames: number;
  readonly medianFrames: number;
  readonly maxFrames: number;
  readonly bytes: number;
  /** Share of (frame, hand) pairs with the whole hand null. */
  readonly handNullFraction: number;
  readonly faceNullFraction: number;
  readonly seconds: number;
  readonly clipsPerSecond: number;
  readonly workers: number;
}

const BATCH = 8;

async function runInThread(
  dir: string,
  plan: DatasetPlan,
  report: (s: ClipFileStats) => void,
): Promise<void> {
  for (const job of plan.clips) report(await writeClipFile(dir, job, plan.signs, plan.signers));
}

function runInWorkers(
  dir: string,
  plan: DatasetPlan,
  workers: number,
  report: (s: ClipFileStats) => void,
): Promise<void> {
  const queue: PlannedClip[] = [...plan.clips];
  const workerData: ClipWorkerData = { dir, signs: plan.signs, signers: plan.signers };
  const pool = Array.from(
    { length: Math.min(workers, Math.ceil(queue.length / BATCH)) },
    () => new Worker(new URL('./clip-worker.ts', import.meta.url), { workerData }),
  );
  return new Promise<void>((resolve, reject) => {
    let running = pool.length;
    let failed = false;
    const fail = (e: Error): void => {
      if (failed) return;
      failed = true;
      for (const w of pool) void w.terminate();
      reject(e);
    };
    const feed = (w: Worker): void => {
      const jobs = queue.splice(0, BATCH);
      if (jobs.length > 0) {
        w.postMessage(jobs);
        return;
      }
      void w.terminate();
      if (--running === 0 && !failed) resolve();
    };
    for (const w of pool) {
      w.on('message', (reply: ClipWorkerReply) => {
        if (!reply.ok) return fail(new Error(`synth worker failed: ${reply.error}`));
        for (const s of reply.stats) report(s);
        feed(w);
      });
      w.on('error', fail);
      w.on('exit', (code) => {
        if (code !== 0 && !failed && queue.length > 0)
          fail(new Error(`synth worker exited with code ${code}`));
      });
      feed(w);
    }
    if (pool.length === 0) resolve();
  });
}

function median(values: number[]): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor((sorted.length - 1) / 2)]!;
}

export async function writeSynthDataset(o: WriteSynthOptions): Promise<SynthSummary> {
  const started = performance.now();
  const plan = planDataset(o);
  const workers = o.workers ?? availableParallelism();
  for (const dir of new Set(plan.clips.map((c) => dirname(c.path))))
    mkdirSync(join(o.out, dir), { recursive: true });
  mkdirSync(o.out, { recursive: true });

  const frameCounts: number[] = [];
  let bytes = 0;
  let handNull = 0;
  let faceNull = 0;
  const report = (s: ClipFileStats): void => {
    frameCounts.push(s.frames);
    bytes += s.bytes;
    handNull += s.handNullFrames;
    faceNull += s.faceNullFrames;
    o.onProgress?.({ done: frameCounts.length, total: plan.clips.length, bytes });
  };
  if (workers <= 0) await runInThread(o.out, plan, report);
  else await runInWorkers(o.out, plan, workers, report);

  const rows = (split: 'train' | 'test'): ClipIndexEntry[] =>
    plan.clips
      .filter((c) => c.split === split)
      .map((c) => ({ participantId: c.participantId, sequenceId: c.sequenceId, sign: plan.names[c.sign]! }));
  const train = rows('train');
  const test = rows('test');
  if (test.length > 0) {
    await writeFileAtomic(join(o.out, TEST_CSV), formatTestCsv(test));
    await writeFileAtomic(join(o.out, TEST_LABELS_CSV), formatTestLabelsCsv(test));
  }
  await writeFileAtomic(join(o.out, SIGN_MAP_FILE), formatSignMap(plan.names));
  await writeFileAtomic(join(o.out, 'train.csv'), formatTrainCsv(train));

  const frames = frameCounts.reduce((a, b) => a + b, 0);
  const seconds = (performance.now() - started) / 1000;
  return {
    out: o.out,
    trainClips: train.length,
    testClips: test.length,
    signs: plan.signs.length,
    signers: plan.signers.length,
    leftDominantSigners: plan.signers.filter((s) => s.dominant === 'left').length,
    frames,
    medianFrames: median(frameCounts),
    maxFrames: frameCounts.reduce((a, b) => Math.max(a, b), 0),
    bytes,
    handNullFraction: frames > 0 ? handNull / (2 * frames) : 0,
    faceNullFraction: frames > 0 ? faceNull / frames : 0,
    seconds,
    clipsPerSecond: plan.clips.length / seconds,
    workers: Math.max(0, workers),
  };
}
