import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DatasetError } from '../../../../src/batch/data/dataset/dataset-error.ts';
import { openDataset } from '../../../../src/batch/data/dataset/open-dataset.ts';
import { FRAME_VALUES } from '../../../../src/shared/bundle/model-contract.ts';
import { runPreprocess } from '../../../../src/batch/preprocess/run-preprocess.ts';
import { hasRealData, REAL_DIR } from '../../../shared/real-files.ts';
import { errorCodeOf } from '../../error-code-of.ts';

const root = mkdtempSync(join(tmpdir(), 'signcast-open-dataset-'));
const good = join(root, 'good');
afterAll(() => rmSync(root, { recursive: true, force: true }));

beforeAll(async () => {
  await runPreprocess({ dataDir: REAL_DIR, outDir: good, workers: 1, shardSize: 4, limit: 10 });
});

/** A copy of the good dataset with one file rewritten. */
function tampered(name: string, file: string, edit: (text: string) => string): string {
  const dir = join(root, name);
  cpSync(good, dir, { recursive: true });
  writeFileSync(join(dir, file), edit(readFileSync(join(dir, file), 'utf8')));
  return dir;
}

const codeOf = (fn: () => unknown): string => errorCodeOf(DatasetError, fn);

describe.skipIf(!hasRealData)('openDataset', () => {
  it('gives global rows over the shards, with frames as views into the shard files', () => {
    const dataset = openDataset(good);
    expect(dataset.length).toBe(10);
    expect(dataset.shards.map((s) => [s.file, s.rowOffset, s.columns.length])).toEqual([
      ['shard-00000.arrow', 0, 4],
      ['shard-00001.arrow', 4, 4],
      ['shard-00002.arrow', 8, 2],
    ]);
    const at = dataset.locate(5);
    expect(at.shard.file).toBe('shard-00001.arrow');
    expect(at.row).toBe(1);
    expect(dataset.frames(5).buffer).toBe(at.shard.columns.frames.buffer);
    expect(dataset.frames(5)).toEqual(at.shard.columns.frames.subarray(FRAME_VALUES, 2 * FRAME_VALUES));
    expect(dataset.participantIds[5]).toBe(at.shard.columns.participantId[1]);
    expect(() => dataset.locate(10)).toThrow(RangeError);
    expect(() => dataset.frames(-1)).toThrow(RangeError);
    const first = dataset.participantIds[0]!;
    expect([...dataset.rowsWhere((id) => id === first)]).toEqual(
      [...dataset.participantIds.keys()].filter((i) => dataset.participantIds[i] === first),
    );
  });

  it('refuses a missing, unfinished or tampered dataset with a code naming the file', () => {
    expect(codeOf(() => openDataset(join(root, 'nowhere')))).toBe('dataset_missing');
    const unfinished = tampered('unfinished', 'stats.json', (t) => t);
    rmSync(join(unfinished, 'dataset.json'));
    expect(codeOf(() => openDataset(unfinished))).toBe('dataset_incomplete');

    const version = tampered('version', 'dataset.json', (t) =>
      t.replace(/"preprocessVersion": "[^"]+"/, '"preprocessVersion": "old"'),
    );
    expect(codeOf(() => openDataset(version))).toBe('preprocess_version');
    const format = tampered('format', 'dataset.json', (t) =>
      t.replace('"formatVersion": 1', '"formatVersion": 2'),
    );
    expect(codeOf(() => openDataset(format))).toBe('manifest_invalid');
    expect(() => openDataset(format)).toThrow(/format\/dataset\.json: /);
    const rows = tampered('rows', 'dataset.json', (t) => {
      const manifest = JSON.parse(t);
      manifest.shards[1].rows = 3;
      manifest.counts.rows = 9;
      return JSON.stringify(manifest);
    });
    expect(codeOf(() => openDataset(rows))).toBe('shard_mismatch');
    const stats = tampered('stats', 'stats.json', (t) => t.replace('"clips"', '"klips"'));
    expect(codeOf(() => openDataset(stats))).toBe('stats_invalid');
    const shard = tampered('shard', 'shard-00001.arrow', () => 'not arrow');
    expect(codeOf(() => openDataset(shard))).toBe('shard_unreadable');
  });
});
