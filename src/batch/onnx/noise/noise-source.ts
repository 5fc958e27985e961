/**
 * Dropout randomness for training graphs, in two forms that draw the same bits (random/counter-hash.ts):
 *
 * - FedNoise: each draw is a uint16 graph input `noise/<stream>` that the trainer fills in JS; the graph
 *   only compares. Cheapest where the graph runs on the CPU, next to the JS that fills it.
 * - GraphNoise: the graph draws the bits itself from a uint32 key input `noise_key/<stream>` (one scalar
 *   per stream and step, `streamKey(seed, step, stream)`), with uint32 Mul, Add and Div only, which
 *   every provider runs: nothing random crosses the bus to a GPU.
 *
 * Element e of a draw has a counter: its row-major index (dense), or for packed frame rows, slot *
 * channels + c where slot = b * frames + t is the frame the row came from. The keep mask is
 * draw16(key, counter) < round(p 2^16), so both forms, and any packing, agree bit for bit.
 */
import type { Graph } from '../graph.ts';
import * as op from '../ops/index.ts';
import type { Dim } from '../shape.ts';
import type { TensorData } from '../tensor-data.ts';
import type { Tensor } from '../tensor.ts';
import {
  fillDraws,
  fillRowDraws,
  GOLDEN,
  keepThreshold16,
  MIX_INCREMENT,
  MIX_MULTIPLIER,
  MIX_ROUNDS,
} from '../../random/counter-hash.ts';

/** How the elements of a drawn tensor are numbered. */
export type NoiseCounters =
  | { readonly kind: 'dense' }
  /** `like` is [R, channels] and `slots` (int32 [R]) holds each row's frame slot b * frames + t. */
  | { readonly kind: 'rows'; readonly slots: Tensor };

export type NoiseForm = 'fed' | 'graph';

/** One stream a graph draws, as the trainer must provide it. */
export interface NoiseStreamSpec {
  /** `noise/<stream>` (fed: uint16 shaped like the draw) or `noise_key/<stream>` (graph: a uint32 key). */
  readonly name: string;
  readonly form: NoiseForm;
  readonly stream: number;
  /** The draw's shape (only the leading dim may be symbolic). */
  readonly shape: readonly Dim[];
  /** dense: counters are row-major indices; rows: slot * channels + c (channels = the last dim). */
  readonly counters: NoiseCounters['kind'];
}

export interface NoiseSource {
  readonly form: NoiseForm;
  /** A bool mask shaped like `like`, each element true with probability round(p 2^16) / 2^16. */
  keepMask(like: Tensor, p: number, counters?: NoiseCounters): Tensor;
  /** The streams drawn so far, in order: what the trainer feeds. */
  readonly streams: readonly NoiseStreamSpec[];
}

/** `firstStream`: streams below it are drawn elsewhere (the host's frame mask uses stream 0). */
export function noiseSource(graph: Graph, form: NoiseForm, firstStream = 0): NoiseSource {
  return new CountedNoise(graph, form, firstStream);
}

class CountedNoise implements NoiseSource {
  private readonly list: NoiseStreamSpec[] = [];

  constructor(
    private readonly graph: Graph,
    readonly form: NoiseForm,
    private readonly firstStream: number,
  ) {}

  get streams(): readonly NoiseStreamSpec[] {
    return this.list;
  }

  keepMask(like: Tensor, p: number, counters: NoiseCounters = { kind: 'dense' }): Tensor {
    if (like.graph !== this.graph) throw new Error(`noise for ${like.name}: tensor from another graph`);
    if (like.shape.slice(1).some((d) => typeof d !== 'number')) {
      throw new Error(`noise shaped like ${like.toString()}: only the leading dim may be symbolic`);
    }
    if (counters.kind === 'rows' && like.rank !== 2) {
      throw new Error(`noise on packed rows needs [rows, channels], got ${like.toString()}`);
    }
    const threshold = keepThreshold16(p);
    if (threshold >= 65536) throw new Error(`keep probability ${p} draws nothing: leave the mask out`);
    const stream = this.firstStream + this.list.length;
    const name = this.form === 'fed' ? `noise/${stream}` : `noise_key/${stream}`;
    this.list.push({ name, form: this.form, stream, shape: [...like.shape], counters: counters.kind });
    const g = this.graph;
    return g.scope('noise', () => {
      if (this.form === 'fed') {
        return op.less(g.input(name, 'uint16', like.shape), g.scalar(threshold, 'uint16'));
      }
      const key = g.input(name, 'uint32', []);
      const hashed = mix32(op.add(op.mul(counterTensor(like, counters), u32(g, GOLDEN)), key));
      // draw16 < t  <=>  all 32 bits < t 2^16 (t < 2^16 here)
      return op.less(hashed, u32(g, threshold * 65536));
    });
  }
}

function u32(g: Graph, value: number): Tensor {
  return g.scalar(value >>> 0, 'uint32');
}

/** random/counter-hash.ts's mix32 in uint32 ops: Mul and Add wrap, Div by 2^16 shifts right. */
function mix32(x: Tensor): Tensor {
  const g = x.graph;
  let h = x;
  for (let round = 0; round < MIX_ROUNDS; round++) {
    h = op.mul(h, op.add(op.mul(h, u32(g, 2)), u32(g, 1)));
    h = op.add(op.mul(h, u32(g, 65536)), op.div(h, u32(g, 65536)));
    h = op.add(op.mul(h, u32(g, MIX_MULTIPLIER)), u32(g, MIX_INCREMENT));
  }
  return h;
}

/** The uint32 counters of every element of `like`, shaped like it. */
function counterTensor(like: Tensor, counters: NoiseCounters): Tensor {
  const g = like.graph;
  if (counters.kind === 'rows') {
    const channels = like.shape[1] as number;
    const base = op.mul(op.cast(counters.slots, 'uint32'), u32(g, channels));
    return op.add(op.unsqueeze(base, [1]), axisIndex(g, channels));
  }
  // The row-major index as a sum of per-axis terms index_j * stride_j, broadcast to the full shape.
  const dims = like.shape;
  let acc: Tensor | undefined;
  let stride = 1;
  for (let axis = dims.length - 1; axis >= 0; axis--) {
    const d = dims[axis]!;
    const index = typeof d === 'number' ? axisIndex(g, d) : leadingIndex(like);
    const scaled = stride === 1 ? index : op.mul(index, u32(g, stride));
    const term =
      dims.length === 1
        ? scaled
        : op.reshape(
            scaled,
            dims.map((_, k) => (k === axis ? -1 : 1)),
          );
    acc = acc === undefined ? term : op.add(term, acc);
    if (typeof d === 'number') stride = Math.imul(stride, d) >>> 0;
  }
  return acc ?? g.scalar(0, 'uint32');
}

/** 0 .. n-1 as a uint32 constant. */
function axisIndex(g: Graph, n: number): Tensor {
  return g.constant({ dtype: 'uint32', dims: [n], data: Uint32Array.from({ length: n }, (_, i) => i) });
}

/** 0 .. size(axis 0) - 1 as uint32, with an int32 Range (the WebGPU provider has no int64 one). */
function leadingIndex(like: Tensor): Tensor {
  const g = like.graph;
  const size = op.cast(op.gather(op.shapeOf(like), g.scalar(0, 'int64')), 'int32');
  return op.cast(op.range(g, 0, size, 1, { dtype: 'int32' }), 'uint32');
}

/** What a step's noise feeds depend on besides the keys: the batch size, and the packed rows' slots. */
export interface NoiseLayout {
  readonly batch: number;
  /** int32 [R]: the packed rows' frame slots (streams with counters 'rows'). */
  readonly slots?: Int32Array;
}

/**
 * The trainer's side of a graph's noise streams: per step, the uint32 key of each GraphNoise stream,
 * or each FedNoise stream's uint16 draws (in buffers allocated once for `capacity`: fresh memory is slow
 * to touch on these machines).
 */
export class NoiseFeeds {
  private readonly buffers: Uint16Array[];

  constructor(
    private readonly streams: readonly NoiseStreamSpec[],
    capacity: { readonly batch: number; readonly rows: number },
  ) {
    this.buffers = streams.map((s) =>
      s.form === 'graph' ? new Uint16Array(0) : new Uint16Array(elements(s, capacity.batch, capacity.rows)),
    );
  }

  /** The feeds for one step; `key(stream)` is that stream's key (random/counter-hash.ts streamKey). */
  fill(key: (stream: number) => number, layout: NoiseLayout): Record<string, TensorData> {
    const feeds: Record<string, TensorData> = {};
    this.streams.forEach((s, i) => {
      const k = key(s.stream);
      if (s.form === 'graph') {
        feeds[s.name] = { dtype: 'uint32', dims: [], data: Uint32Array.of(k) };
        return;
      }
      const rows = layout.slots?.length ?? 0;
      const dims = s.shape.map((d) =>
        typeof d === 'number' ? d : s.counters === 'rows' ? rows : layout.batch,
      );
      const n = dims.reduce((a, b) => a * b, 1);
      const buffer = this.buffers[i]!;
      if (n > buffer.length) throw new RangeError(`noise ${s.name}: ${n} draws, room for ${buffer.length}`);
      const data = buffer.subarray(0, n);
      if (s.counters === 'rows') {
        if (layout.slots === undefined)
          throw new Error(`noise ${s.name} draws per packed row: give the slots`);
        fillRowDraws(data, k, layout.slots, rows, dims[1]!);
      } else {
        fillDraws(data, k);
      }
      feeds[s.name] = { dtype: 'uint16', dims, data };
    });
    return feeds;
  }
}

function elements(s: NoiseStreamSpec, batch: number, rows: number): number {
  return s.shape.reduce<number>(
    (n, d) => n * (typeof d === 'number' ? d : s.counters === 'rows' ? rows : batch),
    1,
  );
}

/** One step's noise feeds in fresh buffers (the trainer keeps a NoiseFeeds and refills it instead). */
export function noiseFeeds(
  streams: readonly NoiseStreamSpec[],
  layout: NoiseLayout,
  key: (stream: number) => number,
): Record<string, TensorData> {
  return new NoiseFeeds(streams, { batch: layout.batch, rows: layout.slots?.length ?? 0 }).fill(key, layout);
}
