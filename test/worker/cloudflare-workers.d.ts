// The parts of workerd's `cloudflare:workers` module the tests use, typed against the Worker's Env
// (the project's single tsconfig uses DOM types, not the workers-types globals).
declare module 'cloudflare:workers' {
  import type { Env } from '../../src/worker/bindings.ts';

  interface TestBucket {
    put(key: string, value: Uint8Array | string): Promise<unknown>;
    get(key: string): Promise<{ arrayBuffer(): Promise<ArrayBuffer> } | null>;
  }

  export const env: Env & { readonly TEST_BUCKET: TestBucket };
  export const exports: {
    readonly default: { fetch(input: Request | string, init?: RequestInit): Promise<Response> };
  };
}
