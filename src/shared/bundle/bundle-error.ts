/**
 * Why a model bundle cannot be served. The codes are a stable contract: the Worker answers them as
 * 503 errors and `npm run submit` prints them.
 *
 * - `manifest_missing`     no manifest.json where the bundle should be
 * - `manifest_invalid`     manifest.json is not JSON or does not have the bundle's shape
 * - `format_unsupported`   the manifest declares a bundle format this code does not read
 * - `preprocess_mismatch`  the bundle was trained on a different preprocessing than the one running
 * - `variant_missing`      the requested model variant (float32 / int8) is not in the bundle
 * - `file_missing`         a model file named by the manifest is absent
 * - `size_mismatch`        a model file's byte count differs from the manifest's
 * - `hash_mismatch`        a model file's SHA-256 differs from the manifest's
 * - `model_source_missing` there is nowhere to read bundles from (the Worker has no binding for them)
 * - `model_fetch_failed`   the storage holding the bundle answered with an error
 * - `ort_unavailable`      the inference runtime did not start
 * - `model_load_failed`    the inference runtime refused the model bytes
 * - `model_contract_mismatch` the model lacks the inputs or output the contract and manifest promise,
 *                          or answers in another shape
 */
export type BundleErrorCode =
  | 'manifest_missing'
  | 'manifest_invalid'
  | 'format_unsupported'
  | 'preprocess_mismatch'
  | 'variant_missing'
  | 'file_missing'
  | 'size_mismatch'
  | 'hash_mismatch'
  | 'model_source_missing'
  | 'model_fetch_failed'
  | 'ort_unavailable'
  | 'model_load_failed'
  | 'model_contract_mismatch';

export class BundleError extends Error {
  override readonly name = 'BundleError';
  readonly code: BundleErrorCode;

  constructor(code: BundleErrorCode, detail: string, options?: { cause?: unknown }) {
    super(`${detail} [${code}]`, options);
    this.code = code;
  }
}

export function isBundleError(value: unknown): value is BundleError {
  return value instanceof BundleError;
}
