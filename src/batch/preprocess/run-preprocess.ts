import { mkdir, readdir, rm, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { DATASET_FILES } from '../data/dataset/dataset-manifest.ts';
import type { DatasetManifest } from '../data/dataset/dataset-manifest.ts';
import { encodeShard } from '../data/dataset/write-shard.ts';
import { TMP_SUFFIX, writeFileAtomic } from '../data/dataset/write-file-atomic.ts';
import { readSignMap } from '../data/kaggle/read-sign-map.ts';
import { readTrainCsv } from '../data/kaggle/read-train-csv.ts';
import { spawnTsWorker } from '../parallel/spawn-ts-worker.ts';
import { WorkerPool } from '../parallel/worker-pool.ts';
import { WorkerPoolError } from '../parallel/worker-pool-error.ts';
import type { FileResult, FileTask } from './file-task.ts';
import { finalizeDataset } from './finalize-dataset.ts';
import type { Reject } from './reject.ts';
import { ShardBuilder } from './shard-builder.ts';
import { planShards, SHARD_NAME_PATTERN } from './shard-plan.ts';
import type { ShardPlan } from './shard-plan.ts';
import { JOURNAL_DIR, loadShardRecord, makeShardRecord } from './shard-record.ts';
import type { ShardRecord } from './shard-record.ts';

const WORKER_ENTRY = new URL('./preprocess-worker.ts', import.meta.url);
/** Tasks each worker holds at once: enough to hide a message round trip, few enough to drop fast on abort. */
const TASKS_PER_WORKER = 2;

export interface PreprocessOptions {
  readonly dataDir: string;
  readonly outDir: string;
  readonly workers: number;
  /** Files of train.csv per shard (the unit of resumption). */
  readonly shardSize: number;
  /** Only the first N rows of train.csv. */
  readonly limit?: number | null;
  /** Defaults to `<dataDir>/sign_to_prediction_index_map.json`. */
  readonly signMapPath?: string | null;
  /** Aborting stops dispatching, drops unfinished shards and returns an 'interrupted' summary. */
  readonly signal?: AbortSignal;
  readonly onEvent?: (event: PreprocessEvent) => void;
}

export type PreprocessEvent =
  | {
      readonly type: 'planned';
      readonly listed: number;
      readonly shards: number;
      readonly reusedShards: number;
      readonly reusedFiles: number;
      readonly filesToDo: number;
    }
  | { readonly type: 'file'; readonly ok: boolean }
  | { readonly type: 'shard'; readonly name: string; readonly rows: number; readonly rejected: number };

export interface PreprocessSummary {
  readonly status: 'complete' | 'interrupted';
  readonly outDir: string;
  /** Rows of train.csv in scope. */
  readonly listed: number;
  /** Files written to finished shards (this run and earlier ones). */
  readonly ok: number;
  readonly rejected: number;
  readonly rejectsByCode: Readonly<Record<string, number>>;
  readonly shards: number;
  readonly shardsDone: number;
  readonly shardsReused: number;
  /** Files this run settled (ok or rejected), including those of shards it then dropped. */
  readonly filesProcessed: number;
  readonly seconds: number;
  readonly filesPerSecond: number;
  /** Present when complete. */
  readonly manifest: DatasetManifest | null;
}

/**
 * Preprocesses every file listed in `<dataDir>/train.csv` into Arrow shards under `outDir`: one shard
 * per fixed chunk of train.csv, each written atomically with a journal record, so a re-run after an
 * interruption redoes only unfinished chunks.
 */
export async function runPreprocess(options: PreprocessOptions): Promise<PreprocessSummary> {
  const started = performance.now();
  const dataDir = resolve(options.dataDir);
  const outDir = resolve(options.outDir);
  const trainCsv = join(dataDir, 'train.csv');
  const signMap = resolve(options.signMapPath ?? join(dataDir, 'sign_to_prediction_index_map.json'));
  const limit = options.limit ?? null;
  const emit = options.onEvent ?? (() => {});

  const signs = await readSignMap(signMap);
  const listedRows = await readTrainCsv(trainCsv);
  const rows = limit === null ? listedRows : listedRows.slice(0, limit);
  const plans = planShards(rows, signs, { dataDir, shardSize: options.shardSize });

  await prepareOutDir(outDir);
  const records = await Promise.all(plans.map((plan) => reusableRecord(outDir, plan)));
  const reused = plans.filter((_, i) => records[i] !== null);
  const pending = plans.filter((_, i) => records[i] === null);
  const reusedFiles = reused.reduce((sum, p) => sum + p.files.length, 0);
  emit({
    type: 'planned',
    listed: rows.length,
    shards: plans.length,
    reusedShards: reused.length,
    reusedFiles,
    filesToDo: rows.length - reusedFiles,
  });

  let filesProcessed = 0;
  if (pending.length > 0 && options.signal?.aborted !== true) {
    await processShards(pending, {
      outDir,
      workers: options.workers,
      signal: options.signal,
      onFile: (ok) => {
        filesProcessed++;
        emit({ type: 'file', ok });
      },
      onShard: (plan, record) => {
        records[plan.index] = record;
        emit({ type: 'shard', name: plan.name, rows: record.rows, rejected: record.rejects.length });
      },
    });
  }

  const done = records.filter((r): r is ShardRecord => r !== null);
  const complete = done.length === plans.length;
  const manifest = complete
    ? await finalizeDataset(outDir, done, signs, { dataDir, trainCsv, signMap, limit })
    : null;
  const seconds = (performance.now() - started) / 1000;
  const rejects = done.flatMap((r) => r.rejects);
  return {
    status: complete ? 'complete' : 'interrupted',
    outDir,
    listed: rows.length,
    ok: done.reduce((sum, r) => sum + r.rows, 0),
    rejected: rejects.length,
    rejectsByCode: countByCode(rejects),
    shards: plans.length,
    shardsDone: done.length,
    shardsReused: reused.length,
    filesProcessed,
    seconds,
    filesPerSecond: seconds > 0 ? filesProcessed / seconds : 0,
    manifest,
  };
}

/**
 * Removes what an interrupted run can leave behind: half-written temporary files, and dataset.json,
 * whose presence must keep meaning "complete" while this run is under way.
 */
async function prepareOutDir(outDir: string): Promise<void> {
  await mkdir(join(outDir, JOURNAL_DIR), { recursive: true });
  await rm(join(outDir, DATASET_FILES.manifest), { force: true });
  const ours = new Set<string>(Object.values(DATASET_FILES));
  for (const dir of [outDir, join(outDir, JOURNAL_DIR)]) {
    for (const entry of await readdir(dir)) {
      if (!entry.endsWith(TMP_SUFFIX)) continue;
      // Only our own leftovers: --out may point at a directory holding other things.
      const base = entry.slice(0, -TMP_SUFFIX.length);
      const shard = base.replace(/\.(arrow|json)$/, '');
      if (ours.has(base) || SHARD_NAME_PATTERN.test(shard)) await rm(join(dir, entry), { force: true });
    }
  }
}

/** The journal record of a shard that a previous run finished with the same inputs, else null. */
async function reusableRecord(outDir: string, plan: ShardPlan): Promise<ShardRecord | null> {
  const record = await loadShardRecord(join(outDir, JOURNAL_DIR, `${plan.name}.json`));
  if (record === null || record.fingerprint !== plan.fingerprint || record.name !== plan.name) return null;
  try {
    return (await stat(join(outDir, record.file))).size === record.bytes ? record : null;
  } catch {
    return null;
  }
}

interface ShardRunContext {
  readonly outDir: string;
  readonly workers: number;
  readonly signal: AbortSignal | undefined;
  readonly onFile: (ok: boolean) => void;
  readonly onShard: (plan: ShardPlan, record: ShardRecord) => void;
}

/**
 * Dispatches the pending shards' files to the worker pool in train.csv order, keeping a bounded number
 * in flight, and writes each shard as soon as its last file settles. On abort the pool is closed at
 * once: shards whose files were still running are dropped, shards already being written finish.
 */
async function processShards(pending: readonly ShardPlan[], context: ShardRunContext): Promise<void> {
  const { signal } = context;
  const pool = new WorkerPool<FileTask, FileResult>(
    context.workers,
    () => spawnTsWorker(WORKER_ENTRY),
    TASKS_PER_WORKER,
  );
  const maxInFlight = context.workers * TASKS_PER_WORKER * 2;
  const inFlight = new Set<Promise<void>>();
  const writes = new Set<Promise<void>>();
  let failure: unknown = null;
  const stopped = () => signal?.aborted === true || failure !== null;
  const onAbort = () => void pool.close();
  signal?.addEventListener('abort', onAbort);

  const settled = (builder: ShardBuilder, ok: boolean) => {
    context.onFile(ok);
    if (!builder.complete) return;
    const write = writeShardAndRecord(context.outDir, builder).then(
      (record) => context.onShard(builder.plan, record),
      (err: unknown) => {
        failure ??= err;
      },
    );
    writes.add(write);
    void write.finally(() => writes.delete(write));
  };

  try {
    dispatch: for (const plan of pending) {
      const builder = new ShardBuilder(plan);
      for (const [slot, file] of plan.files.entries()) {
        if (stopped()) break dispatch;
        if (file.unknownSign !== null) {
          builder.reject(
            slot,
            'unknown_sign',
            `${file.path}: sign "${file.unknownSign}" is not in the sign map`,
          );
          settled(builder, false);
          continue;
        }
        while (inFlight.size >= maxInFlight) await Promise.race(inFlight);
        if (stopped()) break dispatch;
        const task = pool
          .run({ file: file.file })
          .then(
            (result) => {
              if (result.ok) builder.accept(slot, result.frames, result.nonEmptyFrameIdxs);
              else builder.reject(slot, result.code, result.message);
              settled(builder, result.ok);
            },
            (err: unknown) => {
              if (err instanceof WorkerPoolError && err.code === 'worker_crashed') {
                builder.reject(slot, 'worker_crashed', `${file.file}: ${err.message}`);
                settled(builder, false);
              } else if (!(signal?.aborted === true && isPoolClosed(err))) {
                throw err;
              }
            },
          )
          .catch((err: unknown) => {
            failure ??= err;
          });
        inFlight.add(task);
        void task.finally(() => inFlight.delete(task));
      }
    }
    await Promise.all(inFlight);
  } finally {
    signal?.removeEventListener('abort', onAbort);
    await pool.close();
    await Promise.all(writes);
  }
  if (failure !== null) throw failure;
}

function isPoolClosed(err: unknown): boolean {
  return err instanceof WorkerPoolError && err.code === 'pool_closed';
}

async function writeShardAndRecord(outDir: string, builder: ShardBuilder): Promise<ShardRecord> {
  const { plan } = builder;
  const shard = builder.build();
  const file = `${plan.name}.arrow`;
  const bytes = encodeShard(shard.columns);
  await writeFileAtomic(join(outDir, file), bytes);
  const participantStats = Object.fromEntries(
    [...shard.participantStats.entries()].map(([id, acc]) => [String(id), acc.toJSON()]),
  );
  const record = makeShardRecord({
    name: plan.name,
    file,
    fingerprint: plan.fingerprint,
    listed: plan.files.length,
    rows: shard.columns.length,
    labeled: shard.columns.label.reduce((sum, label) => sum + (label >= 0 ? 1 : 0), 0),
    bytes: bytes.byteLength,
    rejects: shard.rejects,
    participantStats,
  });
  await writeFileAtomic(join(outDir, JOURNAL_DIR, `${plan.name}.json`), JSON.stringify(record));
  return record;
}

function countByCode(rejects: readonly Reject[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const r of rejects) counts[r.code] = (counts[r.code] ?? 0) + 1;
  return counts;
}
