import { Hono } from 'hono';
import { methodNotAllowed } from 'hono/method-not-allowed';
import { ApiError } from './api-error.ts';
import type { AppEnv } from './bindings.ts';
import { respondWithError } from './error-response.ts';
import { withConfig } from './middleware/with-config.ts';
import { corsFromConfig } from './middleware/cors.ts';
import { requireToken } from './middleware/require-token.ts';
import { healthRoutes } from './routes/health.ts';
import { modelRoutes } from './routes/model.ts';
import { pageRoutes } from './routes/page.ts';
import { predictRoutes } from './routes/predict.ts';
import { samplesRoutes } from './routes/samples.ts';
import { signsRoutes } from './routes/signs.ts';

/**
 * The Worker's HTTP API. Every answer that is not a success is JSON `{ error: { code, message } }`
 * with a stable code, including 404 and 405.
 */
export function createApp() {
  const app = new Hono<AppEnv>();
  app.use('*', withConfig);
  app.use('*', corsFromConfig);
  app.use(
    '*',
    methodNotAllowed({
      app,
      onMethodNotAllowed: (c, methods) =>
        respondWithError(
          c,
          new ApiError(
            405,
            'method_not_allowed',
            `${c.req.method} is not allowed here; use ${methods.join(', ')}`,
            {
              Allow: methods.join(', '),
            },
          ),
        ),
    }),
  );
  app.use('/v1/*', requireToken);

  const routes = app
    .route('/', healthRoutes)
    .route('/', predictRoutes)
    .route('/', signsRoutes)
    .route('/', modelRoutes)
    .route('/', samplesRoutes)
    .route('/', pageRoutes);

  app.notFound((c) =>
    respondWithError(c, new ApiError(404, 'not_found', `no route ${c.req.method} ${c.req.path}`)),
  );
  app.onError((err, c) => respondWithError(c, err));
  return routes;
}

export type SigncastApp = ReturnType<typeof createApp>;
