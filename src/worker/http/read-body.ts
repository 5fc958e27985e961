import { ApiError } from '../api-error.ts';

function tooLarge(limit: number): ApiError {
  return new ApiError(413, 'payload_too_large', `request body is larger than the limit of ${limit} bytes`);
}

/**
 * Reads a request body, refusing more than `limit` bytes: up front from Content-Length, and again
 * while streaming, since a chunked body (or a wrong Content-Length) announces nothing. A body of
 * declared length is copied once, into a buffer of that size, rather than collected in chunks and
 * joined: the memory a request costs stays one body, not two.
 */
export async function readBodyWithin(request: Request, limit: number): Promise<Uint8Array> {
  const declared = request.headers.get('content-length');
  if (declared !== null && Number(declared) > limit) throw tooLarge(limit);
  if (request.body === null) return new Uint8Array(0);

  const reader = request.body.getReader();
  let into =
    declared !== null && /^\d+$/.test(declared.trim()) ? new Uint8Array(Number(declared)) : undefined;
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    if (total + value.byteLength > limit) {
      await reader.cancel().catch(() => undefined);
      throw tooLarge(limit);
    }
    if (into !== undefined && total + value.byteLength <= into.length) {
      into.set(value, total);
    } else {
      // More than it declared: go on in chunks with what came so far.
      if (into !== undefined) chunks.push(into.subarray(0, total));
      into = undefined;
      chunks.push(value);
    }
    total += value.byteLength;
  }
  if (into !== undefined) return total === into.length ? into : into.subarray(0, total);
  if (chunks.length === 1) return chunks[0]!;
  const body = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    body.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return body;
}
