import { closeSync, fsyncSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { encodeEvent } from './event-proto.ts';
import type { Histogram, SummaryValue } from './event-proto.ts';
import { frameTfRecord } from './tf-record.ts';

/** TensorBoard's naming, which `tensorboard --logdir` and `wandb sync --sync-tensorboard` look for. */
export const TFEVENTS_PREFIX = 'events.out.tfevents.';

/**
 * Appends TensorBoard events to a new `events.out.tfevents.<seconds>.<host>.<pid>.<n>` file in `dir`.
 * Each process gets its own file (a resumed run adds one), each record is written through at once so
 * TensorBoard sees it live and a crash loses nothing already logged.
 */
export class TfEventsWriter {
  readonly path: string;
  private fd: number | null;
  private static opened = 0;

  constructor(dir: string, now = new Date()) {
    mkdirSync(dir, { recursive: true });
    const seconds = Math.floor(now.getTime() / 1000);
    const name = `${TFEVENTS_PREFIX}${seconds}.${hostname()}.${process.pid}.${TfEventsWriter.opened++}`;
    this.path = join(dir, name);
    this.fd = openSync(this.path, 'wx');
    this.write(encodeEvent(now.getTime() / 1000, 0, { kind: 'file_version' }));
  }

  scalars(step: number, values: Readonly<Record<string, number>>, wallTime = Date.now() / 1000): void {
    const summary: SummaryValue[] = Object.entries(values)
      .filter(([, v]) => Number.isFinite(v))
      .map(([tag, scalar]) => ({ tag, scalar }));
    if (summary.length > 0) this.write(encodeEvent(wallTime, step, { kind: 'summary', values: summary }));
  }

  histogram(step: number, tag: string, histogram: Histogram, wallTime = Date.now() / 1000): void {
    this.write(encodeEvent(wallTime, step, { kind: 'summary', values: [{ tag, histogram }] }));
  }

  /** Marks a restart at `step`: TensorBoard then hides what an earlier process logged after that step. */
  sessionStart(step: number, wallTime = Date.now() / 1000): void {
    this.write(encodeEvent(wallTime, step, { kind: 'session_start' }));
  }

  close(): void {
    if (this.fd === null) return;
    fsyncSync(this.fd);
    closeSync(this.fd);
    this.fd = null;
  }

  private write(event: Uint8Array): void {
    if (this.fd === null) throw new Error(`${this.path} is closed`);
    const record = frameTfRecord(event);
    writeSync(this.fd, record, 0, record.length);
  }
}
