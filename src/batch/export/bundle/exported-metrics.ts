import type { VariantMetrics } from '../../../shared/bundle/manifest.ts';
import type { RuntimeParity } from '../evaluate/runtime-parity.ts';

/**
 * The export records more than the shared `VariantMetrics` names; loaders ignore the extra keys
 * (parseManifest checks only what it uses), so the manifest carries every figure the export measured.
 */
export interface ExportedVariantMetrics extends VariantMetrics {
  /** 95th percentile of the per-clip latency, keyed like latencyMs. */
  readonly latencyP95Ms?: Readonly<Record<string, number>>;
  /** The fastest run: what the model costs when nothing else competes for the cores. */
  readonly latencyMinMs?: Readonly<Record<string, number>>;
  /** onnxruntime-node against onnxruntime-web (WASM) on the same clips, batch 1. */
  readonly parityNodeWeb?: RuntimeParity;
  /**
   * int8 activations are quantized per tensor, so in a batch a clip's scale depends on the other clips:
   * the same figures at the batch scorer's batch size.
   */
  readonly batched?: {
    readonly batch: number;
    readonly accuracy: number;
    readonly top1AgreementWithFloat32: number;
  };
}
