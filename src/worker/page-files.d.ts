// The page's built files (scripts/page/build-page.ts writes build/page/files.js before wrangler
// bundles the Worker, and before the workerd tests run). Declared here so the type check does not
// need a build first.
declare module '*/build/page/files.js' {
  export interface PageFile {
    readonly type: string;
    readonly body: string;
    /** Quoted strong ETag: a hash of the body. */
    readonly etag: string;
  }
  /** By URL path: "/" is the HTML (with the config placeholder), the rest are under /page/. */
  export const files: Readonly<Record<string, PageFile>>;
  /** The @mediapipe/tasks-vision version bundled into the page: its WASM must be the same version. */
  export const tasksVisionVersion: string;
}
