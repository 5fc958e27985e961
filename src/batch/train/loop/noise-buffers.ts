import * as ort from 'onnxruntime-node';
import { fillNoise } from '../../random/counter-hash.ts';
import type { NoiseInputSpec } from '../artifacts/artifacts-manifest.ts';

/**
 * The training graph's `noise/<k>` inputs (dropout and frame masking bits), one uint16 buffer each,
 * allocated once and refilled every step from (seed, step, stream): the same step always gets the same
 * bits, which is what lets a resumed run repeat an uninterrupted one exactly.
 */
export class NoiseBuffers {
  readonly feeds: Readonly<Record<string, ort.Tensor>>;
  private readonly buffers: { readonly stream: number; readonly data: Uint16Array }[];

  constructor(inputs: readonly NoiseInputSpec[], batch: number) {
    const feeds: Record<string, ort.Tensor> = {};
    this.buffers = inputs.map((input) => {
      const dims = input.shape.map((d) => (d === 'batch' ? batch : d));
      const data = new Uint16Array(dims.reduce((a, b) => a * b, 1));
      feeds[input.name] = new ort.Tensor('uint16', data, dims);
      return { stream: input.stream, data };
    });
    this.feeds = feeds;
  }

  /** `step` is the 1-based optimizer step the bits are for. */
  fill(seed: number, step: number): void {
    for (const b of this.buffers) fillNoise(b.data, seed, step, b.stream);
  }
}
