/**
 * An error the API answers as `{ error: { code, message } }` with `status`. Codes are stable; the
 * README lists them. Landmark and bundle errors carry their own codes and are mapped in
 * error-response.ts.
 */
export type ApiErrorCode =
  | 'not_found'
  | 'method_not_allowed'
  | 'unauthorized'
  | 'unsupported_media_type'
  | 'payload_too_large'
  | 'empty_body'
  | 'invalid_query'
  | 'config_invalid'
  | 'samples_invalid'
  | 'non_finite_output'
  | 'internal_error';

export type ApiErrorStatus = 400 | 401 | 404 | 405 | 413 | 415 | 422 | 500 | 503;

export class ApiError extends Error {
  override readonly name = 'ApiError';

  constructor(
    readonly status: ApiErrorStatus,
    readonly code: ApiErrorCode,
    message: string,
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(message);
  }
}
