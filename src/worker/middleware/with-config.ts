import { createMiddleware } from 'hono/factory';
import type { AppEnv } from '../bindings.ts';
import { readConfig } from '../worker-config.ts';

/** Reads the vars once per request, so a bad deploy fails every route the same, clear way. */
export const withConfig = createMiddleware<AppEnv>(async (c, next) => {
  c.set('config', readConfig(c.env));
  await next();
});
