import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { crc32c, maskedCrc32c } from '../../../../src/batch/train/logging/tfevents/crc32c.ts';
import {
  TFEVENTS_PREFIX,
  TfEventsWriter,
} from '../../../../src/batch/train/logging/tfevents/tfevents-writer.ts';
import { crc32cReference, maskCrc, readEventFile, readRecords, scalarSeries } from './tfevents-decoder.ts';

const root = mkdtempSync(join(tmpdir(), 'signcast-tfevents-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('crc32c', () => {
  it('matches the standard check value and an independent bitwise implementation', () => {
    const check = new TextEncoder().encode('123456789');
    expect(crc32c(check)).toBe(0xe3069283);
    expect(crc32cReference(check)).toBe(0xe3069283);
    const random = Uint8Array.from({ length: 1000 }, (_, i) => (i * 7919 + 13) & 0xff);
    expect(crc32c(random)).toBe(crc32cReference(random));
    expect(maskedCrc32c(random)).toBe(maskCrc(crc32cReference(random)));
    expect(crc32c(new Uint8Array(0))).toBe(0);
  });
});

describe('TfEventsWriter', () => {
  it('writes TensorBoard-named files whose records frame, checksum and decode back', () => {
    const dir = join(root, 'run');
    const w = new TfEventsWriter(dir, new Date(1_700_000_000_000));
    w.scalars(1, { 'train/loss': 5.5, 'train/accuracy': 0.125, skipped: Number.NaN });
    w.scalars(2, { 'train/loss': 4.25 });
    w.histogram(0, 'init/softmax', {
      min: 0.001,
      max: 0.01,
      num: 10,
      sum: 0.04,
      sumSquares: 0.0002,
      bucketLimits: [0.002, 0.005, 0.01],
      bucketCounts: [3, 5, 2],
    });
    w.sessionStart(1);
    w.close();

    const [name] = readdirSync(dir);
    expect(name).toMatch(
      new RegExp(`^${TFEVENTS_PREFIX.replaceAll('.', '\\.')}1700000000\\.[^.]+\\.\\d+\\.\\d+$`),
    );
    const events = readEventFile(new Uint8Array(readFileSync(join(dir, name!))));
    expect(events[0]).toMatchObject({ fileVersion: 'brain.Event:2', step: 0, wallTime: 1_700_000_000 });
    const scalars = scalarSeries(events);
    expect(scalars.get('train/loss')).toEqual([
      [1, 5.5],
      [2, 4.25],
    ]);
    expect(scalars.get('train/accuracy')).toEqual([[1, 0.125]]);
    expect(scalars.has('skipped')).toBe(false);
    const histo = events.find((e) => e.values?.[0]?.tag === 'init/softmax')!.values![0]!.histogram!;
    expect(histo).toEqual({
      min: 0.001,
      max: 0.01,
      num: 10,
      bucketLimits: [0.002, 0.005, 0.01],
      buckets: [3, 5, 2],
    });
    expect(events.at(-1)).toMatchObject({ step: 1, sessionStatus: 1 });
  });

  it('has records a flipped bit or a cut breaks', () => {
    const dir = join(root, 'corrupt');
    const w = new TfEventsWriter(dir);
    w.scalars(7, { a: 1 });
    w.close();
    const path = join(dir, readdirSync(dir)[0]!);
    const bytes = new Uint8Array(readFileSync(path));
    expect(readRecords(bytes)).toHaveLength(2);
    const flipped = bytes.slice();
    flipped[bytes.length - 6]! ^= 0x10;
    expect(() => readRecords(flipped)).toThrow(/data CRC/);
    writeFileSync(path, bytes.subarray(0, bytes.length - 3));
    expect(() => readRecords(new Uint8Array(readFileSync(path)))).toThrow(/truncated/);
  });
});
