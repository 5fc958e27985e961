import { readFileSync } from 'node:fs';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parquetReadObjects } from 'hyparquet';
import * as ort from 'onnxruntime-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSession } from '../../../src/batch/onnx/ort-session.ts';
import { runSubmit } from '../../../src/batch/submit/run-submit.ts';
import type { BundleManifest } from '../../../src/shared/bundle/manifest.ts';
import { readLandmarkParquet } from '../../../src/shared/landmarks/read-parquet.ts';
import { preprocessClip } from '../../../src/shared/preprocess/preprocess-clip.ts';
import { hasRealData, REAL_DIR } from '../../shared/real-files.ts';
import { FIXTURE_BUNDLE, makeRealDataDir, realRows } from './fixtures/data-dirs.ts';

const root = mkdtempSync(join(tmpdir(), 'signcast-submit-real-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const BATCH = 16;
const TOP = 5;

/** Each listed clip read and preprocessed here, then plain onnxruntime-node runs of `batch` clips. */
async function probabilityRows(
  modelFile: string,
  paths: readonly string[],
  batchSize: number,
): Promise<number[][]> {
  const session = await openSession(readFileSync(modelFile), { threads: 1 });
  const rows: number[][] = [];
  for (let start = 0; start < paths.length; start += batchSize) {
    const batch = paths.slice(start, start + batchSize);
    const frames = new Float32Array(batch.length * 64 * 66 * 3);
    const idxs = new Float32Array(batch.length * 64);
    for (const [i, path] of batch.entries()) {
      const inputs = preprocessClip(await readLandmarkParquet(readFileSync(join(REAL_DIR, path)), path));
      frames.set(inputs.frames, (i * frames.length) / batch.length);
      idxs.set(inputs.nonEmptyFrameIdxs, i * 64);
    }
    const output = await session.run({
      frames: new ort.Tensor('float32', frames, [batch.length, 64, 66, 3]),
      non_empty_frame_idxs: new ort.Tensor('float32', idxs, [batch.length, 64]),
    });
    const probabilities = output['probabilities']!.data as Float32Array;
    const classes = probabilities.length / batch.length;
    for (let i = 0; i < batch.length; i++)
      rows.push(Array.from(probabilities.subarray(i * classes, (i + 1) * classes)));
  }
  await session.release();
  return rows;
}

/** The yardstick: the same batches as the scorer's, ranked by a full sort. */
async function directRun(
  modelFile: string,
  paths: readonly string[],
): Promise<{ signs: number[]; probs: number[] }[]> {
  return (await probabilityRows(modelFile, paths, BATCH)).map((row) => {
    const order = row
      .map((_, c) => c)
      .sort((a, b) => row[b]! - row[a]! || a - b)
      .slice(0, TOP);
    return { signs: order, probs: order.map((c) => row[c]!) };
  });
}

describe.skipIf(!hasRealData)('runSubmit on the real Kaggle files', () => {
  let listing = '';
  let paths: string[] = [];
  beforeAll(() => {
    listing = makeRealDataDir(join(root, 'data')).listing;
    paths = realRows().map(([path]) => path!);
  });
  const manifest = JSON.parse(readFileSync(join(FIXTURE_BUNDLE, 'manifest.json'), 'utf8')) as BundleManifest;

  // The Worker scores one clip per run, the scorer a batch: a clip must get the same probabilities
  // either way (int8 activations are quantized per frame, not per batch), or the two would disagree.
  for (const precision of ['int8', 'float32'] as const) {
    it(`gives a clip the same probabilities in a batch as alone, the Worker's way (${precision})`, async () => {
      const model = join(FIXTURE_BUNDLE, manifest.files[precision]!.path);
      const alone = await probabilityRows(model, paths, 1);
      const batched = await probabilityRows(model, paths, BATCH);
      let worst = 0;
      alone.forEach((row, i) =>
        row.forEach((p, c) => (worst = Math.max(worst, Math.abs(p - batched[i]![c]!)))),
      );
      expect(worst).toBeLessThan(1e-6);
    });
  }

  for (const precision of ['int8', 'float32'] as const) {
    it(`predicts what a direct onnxruntime-node run of the same inputs predicts (${precision})`, async () => {
      const out = join(root, precision, 'submission.parquet');
      const summary = await runSubmit({
        dataDir: join(root, 'data'),
        csv: listing,
        modelDir: FIXTURE_BUNDLE,
        out,
        format: 'parquet',
        top: TOP,
        probs: true,
        precision,
        batch: BATCH,
        workers: 1,
        intraOpThreads: 1,
        evaluate: true,
      });
      expect(summary).toMatchObject({ status: 'complete', clips: 50, failed: 0 });
      expect(summary.model.variant).toBe(precision);
      // 49 labelled clips (the unlabeled one is scored but not evaluated), signs the fixture does not know.
      expect(summary.evaluation).toMatchObject({ clips: 49, unknownLabels: 49, accuracy: 0 });

      const bytes = readFileSync(out);
      const rows = (await parquetReadObjects({
        file: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength),
      })) as Record<string, unknown>[];
      const expected = await directRun(join(FIXTURE_BUNDLE, manifest.files[precision]!.path), paths);
      expect(rows.map((r) => r['sequence_id'])).toEqual(realRows().map(([, , id]) => BigInt(id!)));
      rows.forEach((row, i) => {
        const suffixes = ['', '_2', '_3', '_4', '_5'];
        expect(suffixes.map((s) => row[`sign${s}`])).toEqual(
          expected[i]!.signs.map((c) => manifest.signs[c]),
        );
        expect(suffixes.map((s) => row[`prob${s}`])).toEqual(expected[i]!.probs);
      });
    });
  }
});
