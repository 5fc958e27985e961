import { hc, type InferResponseType } from 'hono/client';
import type { SigncastApp } from '../worker/app.ts';

/** An answer that is not a success: the Worker's own `{ error: { code, message } }`, or the network's. */
export class ApiFailure extends Error {
  override readonly name = 'ApiFailure';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

const TOKEN_KEY = 'signcast.apiToken';

/** The bearer token a Worker with API_TOKEN wants; kept for this tab only. */
export function setApiToken(token: string | null): void {
  if (token) sessionStorage.setItem(TOKEN_KEY, token);
  else sessionStorage.removeItem(TOKEN_KEY);
}

function authHeaders(): Record<string, string> {
  const token = sessionStorage.getItem(TOKEN_KEY);
  return token ? { Authorization: `Bearer ${token}` } : {};
}

// Typed by the Worker's own routes, so a change there that the page does not follow fails the type check.
const client = hc<SigncastApp>(location.origin, { headers: authHeaders });

export type ModelInfo = InferResponseType<typeof client.v1.model.$get, 200>;
export type SampleList = InferResponseType<typeof client.v1.samples.$get, 200>;
export type PredictAnswer = InferResponseType<typeof client.v1.predict.$post, 200>;

async function failureOf(res: Response): Promise<ApiFailure> {
  try {
    const body = (await res.json()) as { error?: { code?: unknown; message?: unknown } };
    if (typeof body.error?.code === 'string' && typeof body.error.message === 'string') {
      return new ApiFailure(res.status, body.error.code, body.error.message);
    }
  } catch {
    // Not JSON: something in front of the Worker answered.
  }
  return new ApiFailure(res.status, 'http_error', `the server answered ${res.status} ${res.statusText}`);
}

async function send(request: () => Promise<Response>): Promise<Response> {
  let res: Response;
  try {
    res = await request();
  } catch (error) {
    throw new ApiFailure(0, 'network_error', `could not reach the Worker: ${(error as Error).message}`);
  }
  if (!res.ok) throw await failureOf(res);
  return res;
}

export async function getModel(): Promise<ModelInfo> {
  return (await send(() => client.v1.model.$get())).json() as Promise<ModelInfo>;
}

export async function getSamples(): Promise<SampleList> {
  return (await send(() => client.v1.samples.$get())).json() as Promise<SampleList>;
}

export async function getSampleBytes(url: string): Promise<Uint8Array<ArrayBuffer>> {
  const res = await send(() => fetch(url, { headers: authHeaders() }));
  return new Uint8Array(await res.arrayBuffer());
}

export interface Timed<T> {
  readonly answer: T;
  /** Request sent to answer read, as the page saw it. */
  readonly roundTripMs: number;
}

/** POST /v1/predict with the clip's bytes as they are; `mediaType` picks the Worker's decoder. */
export async function predict(
  body: Uint8Array<ArrayBuffer> | string,
  mediaType: string,
): Promise<Timed<PredictAnswer>> {
  const started = performance.now();
  const res = await send(() =>
    client.v1.predict.$post(
      { query: { top: '5' } },
      { init: { body, headers: { ...authHeaders(), 'Content-Type': mediaType } } },
    ),
  );
  const answer = (await res.json()) as PredictAnswer;
  return { answer, roundTripMs: performance.now() - started };
}
