import { ApiError } from '../api-error.ts';

function tooLarge(limit: number): ApiError {
  return new ApiError(413, 'payload_too_large', `request body is larger than the limit of ${limit} bytes`);
}

/**
 * Reads a request body, refusing more than `limit` bytes: up front from Content-Length, and again
 * while streaming, since a chunked body (or a wrong Content-Length) announces nothing.
 */
export async function readBodyWithin(request: Request, limit: number): Promise<Uint8Array> {
  const declared = request.headers.get('content-length');
  if (declared !== null && Number(declared) > limit) throw tooLarge(limit);
  if (request.body === null) return new Uint8Array(0);

  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > limit) {
      await reader.cancel().catch(() => undefined);
      throw tooLarge(limit);
    }
    chunks.push(value);
  }
  if (chunks.length === 1) return chunks[0]!;
  const body = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    body.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return body;
}
