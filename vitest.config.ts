import { defineConfig } from 'vitest/config';

/**
 * Two projects: `unit` (domain, use cases with in-memory ports, handlers with mocked SDK clients,
 * infra templates) and `integration` (the public API against the local stack, started once by the
 * global setup on free ports).
 */
export default defineConfig({
  test: {
    pool: 'forks',
    setupFiles: ['test/support/fast-check-seed.ts'],
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts', 'test/handlers/**/*.test.ts', 'test/infra/**/*.test.ts'],
          testTimeout: 60_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          globalSetup: ['test/support/global-setup.ts'],
          testTimeout: 60_000,
          hookTimeout: 90_000,
        },
      },
    ],
  },
});
