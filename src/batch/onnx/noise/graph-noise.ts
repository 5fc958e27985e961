/**
 * Noise generated inside the graph from `seed` and `step` scalar inputs: the artifact is
 * self-contained, at the price of about ten full passes of uint32 elementwise ops per noise tensor.
 * ONNX RandomUniform is no option: it seeds once per session, so a resumed run would not replay.
 *
 *   key  = streamKey(seed, step, stream)                 (scalar ops)
 *   x[i] = lowbias32(i * GOLDEN + key)                   (uint32; Mul/Add wrap modulo 2^32)
 *   u[i] = (x[i] >> 8) * 2^-24                           in [0, 1), 24 random bits
 *
 * Different keys give shifted windows of one stream in the (scrambled) counter space, as PyTorch's
 * Philox offsets do. The counter is assembled from per-axis ranges by broadcasting Adds, so only its
 * last Add is full-size. Measured here (2 threads, [1000, 64, 1024] = 65.5M elements): ~0.6 s per
 * noise tensor, each uint32 pass 50-80 ms; FedNoise does the hashing in JS (~45 ms, overlappable)
 * and costs the graph one compare. Use this one for small tensors (frame masks, [B, 512] dropout).
 */
import type { Graph } from '../graph.ts';
import * as op from '../ops/index.ts';
import type { Tensor } from '../tensor.ts';
import { GOLDEN, STREAM_MULTIPLIER } from '../../random/counter-hash.ts';
import type { NoiseSource } from './noise-source.ts';

/** lowbias32 on a uint32 tensor. */
function lowbias32(x: Tensor): Tensor {
  const u = (v: number) => x.graph.scalar(v, 'uint32');
  let h = op.bitwiseXor(x, op.shiftRight(x, u(16)));
  h = op.mul(h, u(0x7feb352d));
  h = op.bitwiseXor(h, op.shiftRight(h, u(15)));
  h = op.mul(h, u(0x846ca68b));
  return op.bitwiseXor(h, op.shiftRight(h, u(16)));
}

export class GraphNoise implements NoiseSource {
  private readonly seed: Tensor;
  private readonly step: Tensor;
  private nextStream = 0;

  /** `seed` and `step`: int64 or uint32 scalars (graph inputs), taken modulo 2^32. */
  constructor(seed: Tensor, step: Tensor) {
    for (const t of [seed, step]) {
      if (t.rank !== 0) throw new Error(`noise ${t.name} must be a scalar, got ${t.toString()}`);
    }
    this.seed = seed.dtype === 'uint32' ? seed : op.cast(seed, 'uint32', { name: 'noise/seed' });
    this.step = step.dtype === 'uint32' ? step : op.cast(step, 'uint32', { name: 'noise/step' });
  }

  private get graph(): Graph {
    return this.seed.graph;
  }

  /** The uint32 key of stream `stream` (default: the next unused one; numbering follows build order). */
  key(stream = this.nextStream++): Tensor {
    const g = this.graph;
    return g.scope('noise', () => {
      const u = (v: number) => g.scalar(v >>> 0, 'uint32');
      const mixed = lowbias32(op.add(op.mul(u(stream + 1), u(STREAM_MULTIPLIER)), lowbias32(this.step)));
      return lowbias32(op.bitwiseXor(this.seed, mixed));
    });
  }

  /** 32 random bits per element of `like`. */
  bits(like: Tensor, stream?: number): Tensor {
    const key = this.key(stream);
    return this.graph.scope('noise', () => lowbias32(counters(like, key)));
  }

  uniformLike(like: Tensor, stream?: number): Tensor {
    const bits = this.bits(like, stream);
    return this.graph.scope('noise', () => op.mul(op.cast(op.shiftRight(bits, 8), 'float32'), 2 ** -24));
  }

  /** Compares the raw bits with round(p 2^32): one pass instead of the float conversion's three. */
  bernoulliLike(like: Tensor, p: number, stream?: number): Tensor {
    if (!(p >= 0 && p <= 1)) throw new Error(`probability ${p} is not in [0, 1]`);
    const bits = this.bits(like, stream);
    return this.graph.scope('noise', () => {
      if (p === 1) return op.greaterOrEqual(bits, 0);
      return op.less(bits, this.graph.scalar(Math.min(2 ** 32 - 1, Math.round(p * 2 ** 32)), 'uint32'));
    });
  }
}

/**
 * i * GOLDEN + key for every row-major element index i of `like`, as a sum of per-axis terms
 * index_j * (stride_j * GOLDEN mod 2^32). Only the leading dim may be symbolic.
 */
function counters(like: Tensor, key: Tensor): Tensor {
  const g = like.graph;
  const dims = like.shape;
  if (dims.slice(1).some((d) => typeof d !== 'number')) {
    throw new Error(`noise shaped like ${like.toString()}: only the leading dim may be symbolic`);
  }
  const rank = dims.length;
  if (rank === 0) return key;
  let acc: Tensor | undefined;
  let stride = 1n;
  for (let axis = rank - 1; axis >= 0; axis--) {
    const d = dims[axis]!;
    const size =
      typeof d === 'number' ? g.scalar(d, 'int64') : op.gather(op.shapeOf(like), g.scalar(axis, 'int64'));
    const index = op.cast(op.range(g, 0, size, 1), 'uint32');
    const multiplier = Number(BigInt.asUintN(32, stride * BigInt(GOLDEN)));
    const scaled = op.mul(index, g.scalar(multiplier, 'uint32'));
    let term =
      rank === 1
        ? scaled
        : op.reshape(
            scaled,
            dims.map((_, k) => (k === axis ? -1 : 1)),
          );
    if (axis === rank - 1) term = op.add(term, key);
    acc = acc === undefined ? term : op.add(term, acc);
    if (typeof d === 'number') stride *= BigInt(d);
  }
  return acc!;
}
