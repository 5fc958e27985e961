import type { NormalizationStats } from '../preprocess/stats.ts';

/**
 * A model bundle is a folder `models/<name>/` holding `manifest.json` and the ONNX files it names.
 * The Worker and the batch scorer load nothing else, and refuse a bundle whose file hashes or
 * preprocessing version do not match what they run.
 */
export const BUNDLE_FORMAT = 'signcast-bundle/1';

export const MANIFEST_FILE = 'manifest.json';

export type ModelVariant = 'float32' | 'int8';

export interface BundleFile {
  /** Relative to the bundle folder. */
  readonly path: string;
  /** Lower-case hex SHA-256 of the file's bytes. */
  readonly sha256: string;
  readonly bytes: number;
}

export interface TensorSpec {
  readonly name: string;
  /** Symbolic dimensions are strings (e.g. "batch"). */
  readonly shape: readonly (number | string)[];
  readonly dtype: 'float32' | 'int64';
}

export interface VariantMetrics {
  readonly accuracy?: number;
  readonly top5?: number;
  readonly top10?: number;
  /** Fraction of validation clips whose top-1 equals the float32 model's top-1. */
  readonly top1AgreementWithFloat32?: number;
  readonly clips?: number;
  /** Latency per clip at batch 1, milliseconds, keyed by runtime (e.g. "onnxruntime-node", "onnxruntime-web-wasm"). */
  readonly latencyMs?: Readonly<Record<string, number>>;
}

export interface BundleManifest {
  readonly format: typeof BUNDLE_FORMAT;
  readonly modelId: string;
  readonly createdAt: string;
  readonly files: Readonly<Partial<Record<ModelVariant, BundleFile>>>;
  readonly inputs: readonly TensorSpec[];
  readonly outputs: readonly TensorSpec[];
  readonly preprocess: {
    readonly version: string;
    readonly stats: NormalizationStats;
  };
  /** Sign names in prediction order (index i = output i). */
  readonly signs: readonly string[];
  /** Prediction for a clip that cannot be read: the most frequent training sign. */
  readonly fallbackSign: string;
  readonly config: Readonly<Record<string, unknown>>;
  readonly metrics: Readonly<Partial<Record<ModelVariant, VariantMetrics>>>;
  readonly training: {
    readonly run: string;
    readonly dataset?: string;
    readonly epochs?: number;
    readonly step?: number;
    readonly note?: string;
    /**
     * True when the training clips came from `npm run synth` (invented signs), false when they were
     * real recordings; absent when the exporter did not say. The page tells visitors.
     */
    readonly synthetic?: boolean;
  };
}
