/**
 * The few TensorFlow protos an event file needs, encoded field by field over protobufjs's wire Writer
 * (field numbers from tensorflow/core/util/event.proto and framework/summary.proto):
 *   Event        { double wall_time = 1; int64 step = 2; string file_version = 3; Summary summary = 5;
 *                  SessionLog session_log = 7; }
 *   Summary      { repeated Value value = 1; }
 *   Value        { string tag = 1; float simple_value = 2; HistogramProto histo = 5; }
 *   HistogramProto { double min = 1; double max = 2; double num = 3; double sum = 4;
 *                    double sum_squares = 5; repeated double bucket_limit = 6 [packed];
 *                    repeated double bucket = 7 [packed]; }
 *   SessionLog   { SessionStatus status = 1; }  (START = 1)
 * Scalars use simple_value, which TensorBoard and `wandb sync --sync-tensorboard` both read.
 */
import protobuf from 'protobufjs/minimal.js';

export const FILE_VERSION = 'brain.Event:2';

export interface Histogram {
  readonly min: number;
  readonly max: number;
  readonly num: number;
  readonly sum: number;
  readonly sumSquares: number;
  /** Upper edge of each bucket; TensorBoard expects the last to be large (it is the overflow bucket). */
  readonly bucketLimits: readonly number[];
  readonly bucketCounts: readonly number[];
}

export type SummaryValue =
  { readonly tag: string; readonly scalar: number } | { readonly tag: string; readonly histogram: Histogram };

export type EventBody =
  | { readonly kind: 'file_version' }
  | { readonly kind: 'summary'; readonly values: readonly SummaryValue[] }
  /** Tells TensorBoard a run restarted at `step`, so it drops points a crashed run logged after it. */
  | { readonly kind: 'session_start' };

const SESSION_STATUS_START = 1;

export function encodeEvent(wallTime: number, step: number, body: EventBody): Uint8Array {
  const w = protobuf.Writer.create();
  w.uint32((1 << 3) | 1).double(wallTime);
  w.uint32((2 << 3) | 0).int64(step);
  switch (body.kind) {
    case 'file_version':
      w.uint32((3 << 3) | 2).string(FILE_VERSION);
      break;
    case 'summary': {
      w.uint32((5 << 3) | 2).fork();
      for (const value of body.values) {
        w.uint32((1 << 3) | 2).fork();
        w.uint32((1 << 3) | 2).string(value.tag);
        if ('scalar' in value) w.uint32((2 << 3) | 5).float(value.scalar);
        else encodeHistogram(w.uint32((5 << 3) | 2).fork(), value.histogram).ldelim();
        w.ldelim();
      }
      w.ldelim();
      break;
    }
    case 'session_start':
      w.uint32((7 << 3) | 2)
        .fork()
        .uint32((1 << 3) | 0)
        .int32(SESSION_STATUS_START)
        .ldelim();
      break;
  }
  return w.finish();
}

function encodeHistogram(w: protobuf.Writer, h: Histogram): protobuf.Writer {
  w.uint32((1 << 3) | 1).double(h.min);
  w.uint32((2 << 3) | 1).double(h.max);
  w.uint32((3 << 3) | 1).double(h.num);
  w.uint32((4 << 3) | 1).double(h.sum);
  w.uint32((5 << 3) | 1).double(h.sumSquares);
  w.uint32((6 << 3) | 2).fork();
  for (const limit of h.bucketLimits) w.double(limit);
  w.ldelim();
  w.uint32((7 << 3) | 2).fork();
  for (const count of h.bucketCounts) w.double(count);
  w.ldelim();
  return w;
}
