import { createMiddleware } from 'hono/factory';
import { timingSafeEqual } from 'hono/utils/buffer';
import { ApiError } from '../api-error.ts';
import type { AppEnv } from '../bindings.ts';

const BEARER = /^Bearer +(\S+) *$/i;

/** When the API_TOKEN secret is set, requests need `Authorization: Bearer <token>`; else all pass. */
export const requireToken = createMiddleware<AppEnv>(async (c, next) => {
  const expected = c.get('config').apiToken;
  if (expected !== null && c.req.method !== 'OPTIONS') {
    const presented = BEARER.exec(c.req.header('authorization') ?? '')?.[1];
    if (presented === undefined || !(await timingSafeEqual(expected, presented))) {
      throw new ApiError(
        401,
        'unauthorized',
        presented === undefined
          ? 'this API needs an Authorization: Bearer <token> header'
          : 'the bearer token is not valid',
        { 'WWW-Authenticate': 'Bearer realm="signcast"' },
      );
    }
  }
  await next();
});
