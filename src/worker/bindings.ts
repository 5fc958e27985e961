/**
 * The Worker's bindings, typed by what the code uses rather than the whole workers-types surface,
 * so the same files type-check in the project's one tsconfig.
 */
import type { WorkerConfig } from './worker-config.ts';

/** Workers static assets (wrangler `[assets]`): the `models/` folder, readable only through the Worker. */
export interface AssetsBinding {
  fetch(request: Request | string): Promise<Response>;
}

/** An R2 bucket holding bundles as `<MODEL_NAME>/<file>`; preferred over ASSETS when bound. */
export interface ModelBucketBinding {
  get(key: string): Promise<{ arrayBuffer(): Promise<ArrayBuffer> } | null>;
}

export interface Env {
  readonly ASSETS?: AssetsBinding;
  readonly MODEL_BUCKET?: ModelBucketBinding;
  /** Bundle folder name under models/ (or key prefix in MODEL_BUCKET). */
  readonly MODEL_NAME?: string;
  /** `auto` (int8 when present), `int8` or `float32`. */
  readonly MODEL_VARIANT?: string;
  /** Largest accepted request body, bytes: lowers MAX_BODY_BYTES of src/shared/limits.ts (the default). */
  readonly MAX_BODY_BYTES?: string;
  /** Most frames accepted in one clip: lowers MAX_FRAMES of src/shared/limits.ts (the default). */
  readonly MAX_FRAMES?: string;
  /** Allowed CORS origins: empty (no CORS headers), `*`, or a comma-separated list. */
  readonly CORS_ORIGINS?: string;
  /** Secret: when set, every /v1/* request needs `Authorization: Bearer <API_TOKEN>`. */
  readonly API_TOKEN?: string;
  /** The page's Sign tab: folder with MediaPipe's tasks-vision WASM (default: jsDelivr, the bundled version). */
  readonly LANDMARKER_WASM_URL?: string;
  /** The page's Sign tab: holistic_landmarker.task (default: MediaPipe's published float16 model). */
  readonly LANDMARKER_MODEL_URL?: string;
}

/** Hono's type parameter for this app: the bindings, and what middleware leaves on the context. */
export interface AppEnv {
  Bindings: Env;
  Variables: { config: WorkerConfig };
}
