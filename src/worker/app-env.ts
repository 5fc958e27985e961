import type { WorkerConfig } from './config.ts';
import type { Env } from './env.ts';

/** Hono's type parameter for this app: the bindings, and what middleware leaves on the context. */
export interface AppEnv {
  Bindings: Env;
  Variables: { config: WorkerConfig };
}
