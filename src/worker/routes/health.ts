import { Hono } from 'hono';
import type { AppEnv } from '../bindings.ts';
import { errorReply } from '../error-response.ts';
import { peekModel } from '../runtime/model-cache.ts';

/**
 * GET /healthz: liveness, open even when API_TOKEN is set. It reports the model's state in this
 * isolate but never starts a load, so a probe stays cheap.
 */
export const healthRoutes = new Hono<AppEnv>().get('/healthz', (c) => {
  const state = peekModel(c.env, c.get('config'));
  const model =
    state.state === 'loaded'
      ? { state: state.state, modelId: state.model.manifest.modelId, variant: state.model.variant }
      : state.state === 'failed'
        ? { state: state.state, error: errorReply(state.error).body.error }
        : { state: state.state };
  return c.json({ status: 'ok', model });
});
