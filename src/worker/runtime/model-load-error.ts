/**
 * Why the Worker could not serve a model, besides a refused bundle (`BundleError`). Stable codes,
 * answered as 503 errors:
 *
 * - `model_source_missing` neither an ASSETS nor a MODEL_BUCKET binding is configured
 * - `model_fetch_failed`   the binding answered with an error while reading a bundle file
 * - `ort_unavailable`      onnxruntime-web's WASM runtime did not start in this isolate
 * - `model_load_failed`    onnxruntime-web refused the model bytes
 * - `model_contract_mismatch` the model lacks the inputs or output the manifest and preprocessing promise
 */
export type ModelLoadErrorCode =
  | 'model_source_missing'
  | 'model_fetch_failed'
  | 'ort_unavailable'
  | 'model_load_failed'
  | 'model_contract_mismatch';

export class ModelLoadError extends Error {
  override readonly name = 'ModelLoadError';
  readonly code: ModelLoadErrorCode;

  constructor(code: ModelLoadErrorCode, detail: string, options?: { cause?: unknown }) {
    super(`${detail} [${code}]`, options);
    this.code = code;
  }
}
