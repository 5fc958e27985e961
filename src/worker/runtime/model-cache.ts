import type { WorkerConfig } from '../worker-config.ts';
import type { Env } from '../bindings.ts';
import { openBundle } from '../../shared/bundle/open-bundle.ts';
import { LoadedModel } from './loaded-model.ts';
import { modelSourceFor } from './model-source.ts';
import { openSessionInWorkerd } from './ort-in-workerd.ts';

export type ModelState =
  | { readonly state: 'not_loaded' }
  | { readonly state: 'loading' }
  | { readonly state: 'loaded'; readonly model: LoadedModel }
  | { readonly state: 'failed'; readonly error: unknown };

/**
 * One model per isolate (per source, name and variant), loaded by the first request that needs it
 * and reused by all later ones. A failed load is not kept: the next request tries again, so a
 * transient read error does not take the isolate down for good.
 */
const loads = new Map<string, Promise<LoadedModel>>();
const states = new Map<string, ModelState>();

function keyFor(env: Env, config: WorkerConfig): string {
  return `${env.MODEL_BUCKET ? 'r2' : 'assets'}|${config.modelName}|${config.variant}`;
}

export function getModel(env: Env, config: WorkerConfig): Promise<LoadedModel> {
  const key = keyFor(env, config);
  const pending = loads.get(key);
  if (pending) return pending;
  const load = (async () => {
    const source = modelSourceFor(env, config.modelName);
    return new LoadedModel(await openBundle(source, config.variant, openSessionInWorkerd), source.kind);
  })();
  loads.set(key, load);
  states.set(key, { state: 'loading' });
  load.then(
    (model) => states.set(key, { state: 'loaded', model }),
    (error: unknown) => {
      loads.delete(key);
      states.set(key, { state: 'failed', error });
    },
  );
  return load;
}

/** What /healthz reports, without starting a load. */
export function peekModel(env: Env, config: WorkerConfig): ModelState {
  return states.get(keyFor(env, config)) ?? { state: 'not_loaded' };
}
