// What test/worker/global-setup.ts provides to the Workers pool configuration.
import 'vitest';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The static-assets folder the Worker under test is given instead of models/. */
    workerTestAssets: string;
    /** Whether ../shared/asl-real was found, so the assets hold real clips. */
    hasRealData: boolean;
  }
}
