import type { Granularity } from './weight-quantization.ts';

/**
 * What the int8 transform quantizes and how. Plain JSON, so the manifest can record the policy a
 * bundle was made with.
 */
export interface QuantizationPolicy {
  /** Weights with fewer elements stay float: their int8 saves little and the quantize step costs time. */
  readonly minElements: number;
  /** Regular expressions (sources) over weight initializer names; a match stays float. */
  readonly keepFloat: readonly string[];
  /** 'auto' picks per channel where it cuts the rounding error by >= 5 % (see weight-quantization.ts). */
  readonly granularity: Granularity | 'auto';
  /**
   * 'onnx': DynamicQuantizeLinear + MatMulInteger + Cast + Mul, standard ONNX that any runtime runs and
   * that onnxruntime fuses into its com.microsoft kernels when it loads the model.
   * 'com.microsoft': those kernels written directly (MatMulIntegerToFloat after a shared
   * DynamicQuantizeLinear), for runtimes that would not fuse.
   */
  readonly form: 'onnx' | 'com.microsoft';
  /**
   * How an activation is quantized at run time.
   * 'per-row': one symmetric scale per row (per frame, in the packed [rows, channels] layout), so a
   * clip's answer does not depend on the clips batched with it: the Worker (batch 1) and the batch
   * scorer (batch 64) give the same probabilities. Standard ONNX (ReduceMax, Round, MatMulInteger);
   * only with form 'onnx', since the com.microsoft kernels take one activation scale per tensor.
   * 'per-tensor': DynamicQuantizeLinear over the whole batch tensor (onnxruntime's own choice), which
   * onnxruntime fuses into DynamicQuantizeMatMul; answers then shift slightly with the batch.
   */
  readonly activations: 'per-row' | 'per-tensor';
}

/**
 * Chosen from measurements (src/batch/export/README.md): every weight of at least 4096 values in int8,
 * per channel where that cuts its rounding error by >= 5 %, except the landmark embeddings' first
 * Dense (it reads the normalised coordinates themselves; keeping it float halved the worst clip's
 * probability error on the demo model for 0.14 MB and no measurable time at the baseline's size).
 */
export const DEFAULT_POLICY: QuantizationPolicy = {
  minElements: 4096,
  keepFloat: ['^embedding/(lips|hand|pose)/dense1/'],
  granularity: 'auto',
  form: 'onnx',
  activations: 'per-row',
};

export function keepFloatMatcher(policy: QuantizationPolicy): (name: string) => string | undefined {
  const patterns = policy.keepFloat.map((source) => ({ source, re: new RegExp(source) }));
  return (name) => patterns.find((p) => p.re.test(name))?.source;
}
