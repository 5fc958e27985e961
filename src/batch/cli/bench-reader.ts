/**
 * npm run bench:reader [-- --data <dir> --passes N --repeat N]
 *
 * How fast landmark parquet files become model inputs, on the real Kaggle files (bytes already in
 * memory, so disk speed is left out), compared with hyparquet's own columnar and row readers, which
 * is how the reader's decoding strategy was chosen. Single-threaded: the preprocess CLI runs one
 * reader per core, so its target (94,477 clips in < 10 min on 2 cores) needs ~80 files/s here.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Command } from 'commander';
import { positiveInt } from './cli-args.ts';
import { parquetMetadata, parquetRead, parquetReadObjects } from 'hyparquet';
import { readLandmarkParquet } from '../../shared/landmarks/read-parquet.ts';
import { preprocessClip } from '../../shared/preprocess/preprocess-clip.ts';

interface LoadedFile {
  readonly path: string;
  readonly bytes: Uint8Array;
  readonly rows: number;
}

type Stage = (file: LoadedFile) => Promise<unknown>;

const program = new Command('bench:reader')
  .description('Parquet reader and preprocessing throughput on the real landmark files')
  .option('--data <dir>', 'directory holding train_landmark_files/', '../shared/asl-real')
  .option('--passes <n>', 'timed passes over all files (after one warm-up pass)', positiveInt, 5)
  .option('--repeat <n>', 'reads of the largest file', positiveInt, 50)
  .parse();
const opts = program.opts<{ data: string; passes: number; repeat: number }>();

function loadFiles(dataDir: string): LoadedFile[] {
  const root = join(resolve(dataDir), 'train_landmark_files');
  const files: LoadedFile[] = [];
  for (const participant of readdirSync(root).sort()) {
    for (const name of readdirSync(join(root, participant)).sort()) {
      if (!name.endsWith('.parquet')) continue;
      const bytes = new Uint8Array(readFileSync(join(root, participant, name)));
      files.push({ path: `${participant}/${name}`, bytes, rows: Number(parquetMetadata(bytes).num_rows) });
    }
  }
  if (files.length === 0) throw new Error(`no parquet files under ${root}`);
  return files;
}

function arrayBufferOf(bytes: Uint8Array): ArrayBuffer {
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
}

const LANDMARK_COLUMNS = ['frame', 'type', 'landmark_index', 'x', 'y', 'z'];

const stages: readonly (readonly [string, Stage])[] = [
  ['signcast reader', (f) => readLandmarkParquet(f.bytes, f.path)],
  [
    'signcast reader + preprocessClip',
    async (f) => preprocessClip(await readLandmarkParquet(f.bytes, f.path)),
  ],
  [
    'hyparquet parquetRead, columns only (no tensor)',
    (f) => parquetRead({ file: arrayBufferOf(f.bytes), columns: LANDMARK_COLUMNS, onChunk: () => undefined }),
  ],
  ['hyparquet parquetReadObjects (no tensor)', (f) => parquetReadObjects({ file: arrayBufferOf(f.bytes) })],
];

/** Milliseconds per call of `stage` on each file, over `passes` passes. */
async function timePerFile(files: readonly LoadedFile[], stage: Stage, passes: number): Promise<number[]> {
  for (const file of files) await stage(file);
  const times: number[] = [];
  for (let pass = 0; pass < passes; pass++) {
    for (const file of files) {
      const start = performance.now();
      await stage(file);
      times.push(performance.now() - start);
    }
  }
  return times;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

function mean(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0) / values.length;
}

const files = loadFiles(opts.data);
const totalRows = files.reduce((sum, f) => sum + f.rows, 0);
const largest = files.reduce((a, b) => (b.rows > a.rows ? b : a));
console.log(
  `${files.length} files, ${totalRows} rows (mean ${Math.round(totalRows / files.length)}, ` +
    `median ${median(files.map((f) => f.rows))} rows per file); largest ${largest.path} with ${largest.rows} rows`,
);
console.log(`node ${process.version}, one thread, ${opts.passes} passes after a warm-up pass\n`);

const pad = (s: string, n: number): string => s.padEnd(n);
console.log(
  `${pad('stage', 50)}${pad('files/s', 10)}${pad('mean ms', 10)}${pad('median ms', 11)}largest file ms`,
);
for (const [name, stage] of stages) {
  const times = await timePerFile(files, stage, opts.passes);
  const large = await timePerFile([largest], stage, opts.repeat);
  const meanMs = mean(times);
  console.log(
    `${pad(name, 50)}${pad((1000 / meanMs).toFixed(0), 10)}${pad(meanMs.toFixed(2), 10)}` +
      `${pad(median(times).toFixed(2), 11)}${median(large).toFixed(2)}`,
  );
}
