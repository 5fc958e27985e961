import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { isBundleError } from '../shared/bundle/bundle-error.ts';
import { isLandmarkFileError, type LandmarkErrorCode } from '../shared/landmarks/landmark-file-error.ts';
import { ApiError } from './api-error.ts';

export interface ErrorBody {
  readonly error: { readonly code: string; readonly message: string };
}

export interface ErrorReply {
  readonly status: ContentfulStatusCode;
  readonly body: ErrorBody;
  readonly headers: Readonly<Record<string, string>>;
}

/** Bytes that are not the declared format at all are a 400; a readable clip we cannot use is a 422. */
const UNREADABLE: ReadonlySet<LandmarkErrorCode> = new Set([
  'not_parquet',
  'not_arrow',
  'invalid_json',
  'corrupt',
]);

function landmarkStatus(code: LandmarkErrorCode): ContentfulStatusCode {
  if (code === 'file_too_large') return 413;
  return UNREADABLE.has(code) ? 400 : 422;
}

/** The typed errors carry their code in the message too (for logs); the JSON has it separately. */
function withoutCodeSuffix(message: string): string {
  return message.replace(/ \[[a-z_]+\]$/, '');
}

function reply(
  status: ContentfulStatusCode,
  code: string,
  message: string,
  headers: Readonly<Record<string, string>> = {},
): ErrorReply {
  return { status, body: { error: { code, message } }, headers };
}

/** Maps anything thrown while serving a request to the JSON error the client sees. */
export function errorReply(err: unknown): ErrorReply {
  if (err instanceof ApiError) return reply(err.status, err.code, err.message, err.headers);
  if (isLandmarkFileError(err))
    return reply(landmarkStatus(err.code), err.code, withoutCodeSuffix(err.message));
  if (isBundleError(err)) return reply(503, err.code, withoutCodeSuffix(err.message));
  // Hono's own errors (none of our code throws them, but its helpers may).
  if (err instanceof HTTPException) {
    return reply(
      err.status,
      err.status < 500 ? 'bad_request' : 'internal_error',
      err.message || `HTTP ${err.status}`,
    );
  }
  console.error('unhandled error', err);
  return reply(500, 'internal_error', 'internal error');
}

/** Answers with the JSON error through the context, so middleware headers (CORS) still apply. */
export function respondWithError(c: Context, err: unknown): Response {
  const { status, body, headers } = errorReply(err);
  return c.json(body, status, headers);
}
