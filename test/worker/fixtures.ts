import { env, exports } from 'cloudflare:workers';
import { expect } from 'vitest';
import type { Env } from '../../src/worker/bindings.ts';
import worker from '../../src/worker/index.ts';
import { CLIPS_DIR, type ExpectedClip } from './fixture-names.ts';

export { BAD_CLIPS, BUNDLES, CLIPS_DIR, type ExpectedClip } from './fixture-names.ts';

async function asset(path: string): Promise<Response> {
  const res = await env.ASSETS!.fetch(`https://assets.invalid/${path}`);
  if (!res.ok) throw new Error(`test asset ${path}: ${res.status}`);
  return res;
}

export async function expectedClips(): Promise<ExpectedClip[]> {
  return (await (await asset(`${CLIPS_DIR}/expected.json`)).json()) as ExpectedClip[];
}

export async function clipBody(name: string): Promise<Uint8Array<ArrayBuffer>> {
  return new Uint8Array(await (await asset(`${CLIPS_DIR}/${name}`)).arrayBuffer());
}

/**
 * One request to the Worker: through its real entry point (`exports.default`), or, when the test
 * needs other vars or bindings, through the same app with an edited env.
 */
export async function call(
  path: string,
  init: RequestInit = {},
  envOverride?: Partial<Env>,
): Promise<Response> {
  const request = new Request(`https://signcast.test${path}`, init);
  return envOverride ? worker.fetch(request, { ...env, ...envOverride }) : exports.default.fetch(request);
}

export function post(
  path: string,
  mediaType: string | null,
  body: BodyInit,
  envOverride?: Partial<Env>,
): Promise<Response> {
  const headers: Record<string, string> = mediaType === null ? {} : { 'Content-Type': mediaType };
  return call(path, { method: 'POST', headers, body }, envOverride);
}

/** The JSON error body every failure must have; fails the test when it is missing. */
export async function errorOf(res: Response): Promise<{ status: number; code: string; message: string }> {
  expect(res.headers.get('content-type') ?? '').toMatch(/^application\/json/);
  const body = (await res.json()) as { error?: { code?: unknown; message?: unknown } };
  expect(typeof body.error?.code).toBe('string');
  expect(typeof body.error?.message).toBe('string');
  return { status: res.status, code: body.error!.code as string, message: body.error!.message as string };
}
