/**
 * Symmetric int8 quantization of a [K, N] weight matrix (activations x W: N output channels).
 *
 * Symmetric (zero point 0) because the weights of a trained model are centred on zero and a zero
 * point would only add a correction term to every product; the range is [-127, 127], not -128, so
 * that w and -w quantize to opposites.
 */
export type Granularity = 'per-tensor' | 'per-channel';

export interface QuantizedWeight {
  readonly granularity: Granularity;
  /** Row-major [K, N], like the float weight. */
  readonly values: Int8Array;
  /** One scale (per tensor) or N (one per output channel); w ≈ values * scale. */
  readonly scales: Float32Array;
  /**
   * ||w - dequantized|| / ||w|| (Frobenius): how much of the weight the rounding lost. 0 for an
   * all-zero weight.
   */
  readonly relativeError: number;
}

const QMAX = 127;

/** The max |w| of each column (per channel) or of the whole matrix, divided by QMAX. */
function scalesOf(w: Float32Array, k: number, n: number, granularity: Granularity): Float32Array {
  const scales = new Float32Array(granularity === 'per-channel' ? n : 1);
  for (let row = 0; row < k; row++) {
    const base = row * n;
    for (let col = 0; col < n; col++) {
      const j = granularity === 'per-channel' ? col : 0;
      const a = Math.abs(w[base + col]!);
      if (a > scales[j]!) scales[j] = a;
    }
  }
  // An all-zero channel quantizes to zeros with any scale; 1 keeps the scale a normal float.
  for (let j = 0; j < scales.length; j++) scales[j] = scales[j]! > 0 ? scales[j]! / QMAX : 1;
  return scales;
}

export function quantizeWeight(
  w: Float32Array,
  k: number,
  n: number,
  granularity: Granularity,
): QuantizedWeight {
  if (w.length !== k * n) throw new Error(`weight has ${w.length} values, not ${k} x ${n}`);
  const scales = scalesOf(w, k, n, granularity);
  const values = new Int8Array(w.length);
  let errorSq = 0;
  let normSq = 0;
  for (let row = 0; row < k; row++) {
    const base = row * n;
    for (let col = 0; col < n; col++) {
      const v = w[base + col]!;
      const s = scales[granularity === 'per-channel' ? col : 0]!;
      const q = Math.min(QMAX, Math.round(Math.abs(v) / s)) * Math.sign(v);
      values[base + col] = q;
      const d = v - q * s;
      errorSq += d * d;
      normSq += v * v;
    }
  }
  return { granularity, values, scales, relativeError: normSq > 0 ? Math.sqrt(errorSq / normSq) : 0 };
}

/**
 * Per channel costs N floats and, in onnxruntime's fused kernels, no measurable time (see the export
 * README); it pays when the columns' ranges differ, which trained layers' do. Per tensor is kept when
 * per channel would not cut the rounding error by at least `minGain` (a fraction), so a model whose
 * columns are alike stays in the simpler form.
 */
export function quantizeWeightAuto(
  w: Float32Array,
  k: number,
  n: number,
  minGain = 0.05,
): { chosen: QuantizedWeight; perTensorError: number; perChannelError: number } {
  const perTensor = quantizeWeight(w, k, n, 'per-tensor');
  const perChannel = quantizeWeight(w, k, n, 'per-channel');
  const chosen = perChannel.relativeError <= perTensor.relativeError * (1 - minGain) ? perChannel : perTensor;
  return { chosen, perTensorError: perTensor.relativeError, perChannelError: perChannel.relativeError };
}
