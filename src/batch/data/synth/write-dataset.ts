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
import { formatSignMap, SIGN_MAP_FILE } from '../kaggle/write-sign-map.ts';
import { formatTestCsv, formatTestLabelsCsv, TEST_CSV, TEST_LABELS_CSV } from '../kaggle/write-test-csv.ts';
import type { ClipIndexEntry } from '../kaggle/clip-index-csv.ts';
import { formatTrainCsv } from '../kaggle/write-train-csv.ts';
import { writeFileAtomic } from '../dataset/write-file-atomic.ts';
import { spawnTsWorker } from '../../parallel/spawn-ts-worker.ts';
import { WorkerPool } from '../../parallel/worker-pool.ts';
import type { ClipWorkerData } from './clip-worker.ts';
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

const CLIP_WORKER = new URL('./clip-worker.ts', import.meta.url);
/** Clips per task: enough to amortise a message round trip, few enough to balance the workers. */
const BATCH = 8;

async function runInThread(
  dir: string,
  plan: DatasetPlan,
  report: (s: ClipFileStats) => void,
): Promise<void> {
  for (const job of plan.clips) report(await writeClipFile(dir, job, plan.signs, plan.signers));
}

async function runInWorkers(
  dir: string,
  plan: DatasetPlan,
  workers: number,
  report: (s: ClipFileStats) => void,
): Promise<void> {
  const batches: PlannedClip[][] = [];
  for (let i = 0; i < plan.clips.length; i += BATCH) batches.push(plan.clips.slice(i, i + BATCH));
  if (batches.length === 0) return;
  const workerData: ClipWorkerData = { dir, signs: plan.signs, signers: plan.signers };
  const pool = new WorkerPool<readonly PlannedClip[], ClipFileStats[]>(
    Math.min(workers, batches.length),
    () => spawnTsWorker(CLIP_WORKER, { workerData }),
  );
  try {
    await Promise.all(
      batches.map((jobs) =>
        pool.run(jobs).then((stats) => {
          for (const s of stats) report(s);
        }),
      ),
    );
  } catch (e) {
    throw new Error(`synth worker failed: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
  } finally {
    await pool.close();
  }
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
