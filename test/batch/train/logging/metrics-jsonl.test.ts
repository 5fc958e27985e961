import { appendFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  appendEpochRecord,
  readEpochRecords,
  truncateEpochRecords,
} from '../../../../src/batch/train/logging/metrics-jsonl.ts';
import type { EpochRecord } from '../../../../src/batch/train/metrics/epoch-record.ts';
import { epochScalars } from '../../../../src/batch/train/metrics/epoch-record.ts';

const root = mkdtempSync(join(tmpdir(), 'signcast-metrics-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function record(epoch: number, val = true): EpochRecord {
  const m = (x: number) => ({ loss: 5 - x, accuracy: x / 10, top5: x / 5, top10: x / 4, samples: 100 });
  return {
    epoch,
    epochs: 3,
    step: epoch * 4,
    learningRate: 1e-3 / epoch,
    weightDecay: 5e-5 / epoch,
    train: m(epoch),
    val: val ? m(epoch - 0.5) : null,
    gradNorm: 1.5,
    landmarkWeights: { lips: 30, hand: 50 + epoch, pose: 20 - epoch },
    trainSeconds: 2,
    valSeconds: 0.5,
    samplesPerSecond: 200,
    time: '2026-01-01T00:00:00.000Z',
  };
}

describe('metrics.jsonl', () => {
  it('appends, reads back (NaN as null and back), drops a torn last line, truncates for resume', () => {
    const path = join(root, 'metrics.jsonl');
    appendEpochRecord(path, record(1));
    appendEpochRecord(path, { ...record(2, false), gradNorm: Number.NaN });
    appendEpochRecord(path, record(3));
    appendFileSync(path, '{"epoch":4,"tr');
    const read = readEpochRecords(path);
    expect(read.map((r) => r.epoch)).toEqual([1, 2, 3]);
    expect(read[0]).toEqual(record(1));
    expect(read[1]!.val).toBeNull();
    expect(Number.isNaN(read[1]!.gradNorm)).toBe(true);

    expect(truncateEpochRecords(path, 3).map((r) => r.epoch)).toEqual([1, 2]);
    expect(readFileSync(path, 'utf8').trim().split('\n')).toHaveLength(2);
    expect(readEpochRecords(join(root, 'absent.jsonl'))).toEqual([]);
  });

  it('flattens a record into scalar tags', () => {
    const s = epochScalars(record(2));
    expect(s['val/top5_accuracy']).toBe(1.5 / 5);
    expect(s['landmark_weights/hand']).toBe(52);
    expect(s['schedule/learning_rate']).toBe(5e-4);
    expect(Object.keys(epochScalars(record(2, false))).some((k) => k.startsWith('val/'))).toBe(false);
  });
});
