import { cloudflareTest } from '@cloudflare/vitest-plugin';
import { defineConfig } from 'vitest/config';

/**
 * The workerd project: test/worker/** runs inside the real Workers runtime (Miniflare), with the
 * Worker from wrangler.toml. Its static assets are swapped for the folder global-setup.ts builds
 * (fixture bundles, clips, onnxruntime-node expectations), so the tests read them through the
 * Worker's real ASSETS binding.
 */
export default defineConfig({
  plugins: [
    cloudflareTest(({ inject }) => ({
      wrangler: { configPath: './wrangler.toml' },
      miniflare: {
        assets: { directory: inject('workerTestAssets') },
        bindings: { MODEL_NAME: 'fixture', MODEL_VARIANT: 'auto', CORS_ORIGINS: '' },
        r2Buckets: ['TEST_BUCKET'],
      },
    })),
  ],
  test: {
    name: 'worker',
    include: ['test/worker/**/*.test.ts'],
    globalSetup: ['test/worker/global-setup.ts'],
    isolate: false,
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
