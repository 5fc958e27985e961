import { cors } from 'hono/cors';
import { createMiddleware } from 'hono/factory';
import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from '../bindings.ts';
import type { WorkerConfig } from '../worker-config.ts';

const byOrigins = new Map<string, MiddlewareHandler>();

function corsFor(origins: NonNullable<WorkerConfig['corsOrigins']>): MiddlewareHandler {
  const key = origins === '*' ? '*' : origins.join(',');
  let handler = byOrigins.get(key);
  if (!handler) {
    handler = cors({
      origin: origins === '*' ? '*' : [...origins],
      allowMethods: ['GET', 'POST', 'OPTIONS'],
      allowHeaders: ['Authorization', 'Content-Type'],
      exposeHeaders: ['Server-Timing'],
      maxAge: 600,
    });
    byOrigins.set(key, handler);
  }
  return handler;
}

/** CORS as CORS_ORIGINS says: off when empty, so a same-origin deploy sends no CORS headers at all. */
export const corsFromConfig = createMiddleware<AppEnv>(async (c, next) => {
  const origins = c.get('config').corsOrigins;
  if (origins === null) return next();
  return corsFor(origins)(c, next);
});
