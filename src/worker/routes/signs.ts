import { Hono } from 'hono';
import type { AppEnv } from '../bindings.ts';
import { getModel } from '../runtime/model-cache.ts';

/** GET /v1/signs: the signs the served model knows, in prediction order. */
export const signsRoutes = new Hono<AppEnv>().get('/v1/signs', async (c) => {
  const model = await getModel(c.env, c.get('config'));
  return c.json({
    modelId: model.manifest.modelId,
    count: model.manifest.signs.length,
    signs: model.manifest.signs,
  });
});
