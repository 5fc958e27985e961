/**
 * Noise fed as uint16 graph inputs, generated in JS by the same counter hash: the graph only compares
 * (one cheap pass over 2-byte elements), and the hashing (~45 ms for 65.5M elements here, single
 * thread) can run in a worker while onnxruntime computes the previous step. Reproducible from
 * (seed, step) exactly like GraphNoise, though the two produce different bits.
 *
 *   bits16[i] = 16-bit half (i mod 2) of counterBits(streamKey(seed, step, stream), floor(i / 2))
 *
 * Graph side: `new FedNoise(graph)`, then `bernoulliLike(x, p)` / `uniformLike(x)` add an input
 * `noise/<stream>` shaped like x. Trainer side: `noiseFeeds(noise.inputs, { batch }, seed, step)`,
 * or `fillNoise` (random/counter-hash.ts) into buffers kept from step to step (fresh memory is slow to
 * touch on these VMs).
 */
import type { Graph } from '../graph.ts';
import * as op from '../ops/index.ts';
import type { Dim } from '../shape.ts';
import { formatShape } from '../shape.ts';
import type { TensorData } from '../tensor-data.ts';
import type { Tensor } from '../tensor.ts';
import { fillNoise } from '../../random/counter-hash.ts';
import type { NoiseSource } from './noise-source.ts';

export interface FedNoiseInput {
  /** Graph input name, `noise/<stream>`. */
  readonly name: string;
  readonly stream: number;
  /** Shape with symbolic dims (resolved by `noiseFeeds`). */
  readonly shape: readonly Dim[];
}

export class FedNoise implements NoiseSource {
  private readonly list: FedNoiseInput[] = [];

  constructor(private readonly graph: Graph) {}

  /** The noise inputs added so far, in stream order: what the trainer must feed. */
  get inputs(): readonly FedNoiseInput[] {
    return this.list;
  }

  /** A uint16 input shaped like `like`, holding 16 random bits per element. */
  bits(like: Tensor): Tensor {
    if (like.graph !== this.graph) throw new Error(`noise for ${like.name}: tensor from another graph`);
    if (like.shape.some((d) => d === null)) {
      throw new Error(`noise shaped like ${like.toString()}: unknown dims cannot be fed`);
    }
    const stream = this.list.length;
    const name = `noise/${stream}`;
    this.list.push({ name, stream, shape: [...like.shape] });
    return this.graph.input(name, 'uint16', like.shape);
  }

  /** float32 in [0, 1) with 16-bit resolution. */
  uniformLike(like: Tensor): Tensor {
    const bits = this.bits(like);
    return this.graph.scope('noise', () => op.mul(op.cast(bits, 'float32'), 2 ** -16));
  }

  /** True with probability round(p 2^16) / 2^16 (p = 0.7 -> 0.70000458). */
  bernoulliLike(like: Tensor, p: number): Tensor {
    if (!(p >= 0 && p <= 1)) throw new Error(`probability ${p} is not in [0, 1]`);
    const bits = this.bits(like);
    const threshold = Math.round(p * 65536);
    return this.graph.scope('noise', () =>
      threshold >= 65536 ? op.greaterOrEqual(bits, 0) : op.less(bits, this.graph.scalar(threshold, 'uint16')),
    );
  }
}

/** Feeds for every noise input, symbolic dims resolved by `dims` (e.g. { batch: 1000 }). */
export function noiseFeeds(
  inputs: readonly FedNoiseInput[],
  dims: Readonly<Record<string, number>>,
  seed: number | bigint,
  step: number | bigint,
): Record<string, TensorData<'uint16'>> {
  const feeds: Record<string, TensorData<'uint16'>> = {};
  for (const input of inputs) {
    const shape = input.shape.map((d) => {
      const v = typeof d === 'number' ? d : d === null ? undefined : dims[d];
      if (v === undefined)
        throw new Error(`noise ${input.name} ${formatShape(input.shape)}: no size for ${String(d)}`);
      return v;
    });
    const data = new Uint16Array(shape.reduce((a, b) => a * b, 1));
    fillNoise(data, seed, step, input.stream);
    feeds[input.name] = { dtype: 'uint16', dims: shape, data };
  }
  return feeds;
}
