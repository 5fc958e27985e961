import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'node',
          include: ['test/**/*.test.ts'],
          exclude: ['test/worker/**'],
          environment: 'node',
          globalSetup: ['test/real-data-setup.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
      // The Worker's tests run in workerd: a separate project with the Workers pool plugin.
      './vitest.worker.config.ts',
    ],
  },
});
