import { BundleError } from '../../shared/bundle/bundle-error.ts';
import type { BundleSource } from '../../shared/bundle/open-bundle.ts';
import type { Env } from '../bindings.ts';

/** Where bundle files come from: one folder of static assets, or one key prefix in R2. */
export interface ModelSource extends BundleSource {
  readonly kind: 'assets' | 'r2';
}

// Static assets are addressed by path only; the host is never contacted.
const ASSETS_ORIGIN = 'https://assets.invalid';

export function modelSourceFor(env: Env, modelName: string): ModelSource {
  const bucket = env.MODEL_BUCKET;
  if (bucket) {
    return {
      kind: 'r2',
      location: `r2:${modelName}/`,
      async read(path) {
        const object = await bucket.get(`${modelName}/${path}`);
        return object ? new Uint8Array(await object.arrayBuffer()) : null;
      },
    };
  }
  const assets = env.ASSETS;
  if (assets) {
    return {
      kind: 'assets',
      location: `assets:${modelName}/`,
      async read(path) {
        const res = await assets.fetch(new Request(`${ASSETS_ORIGIN}/${modelName}/${path}`));
        if (res.status === 404) return null;
        if (!res.ok)
          throw new BundleError(
            'model_fetch_failed',
            `static assets answered ${res.status} for ${modelName}/${path}`,
          );
        return new Uint8Array(await res.arrayBuffer());
      },
    };
  }
  throw new BundleError(
    'model_source_missing',
    'no ASSETS or MODEL_BUCKET binding: the Worker has nowhere to load a model from',
  );
}
