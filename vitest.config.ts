import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
    globalSetup: ['test/global-setup.ts', 'test/support/postgres-global-setup.ts'],
    // Two files at a time: most tests wait on child processes, sockets and timers rather
    // than compute, so on a 2-core machine two workers finish in about two thirds of the
    // time one takes (vitest's default there is one).
    maxWorkers: 2,
    testTimeout: 20_000,
    hookTimeout: 20_000,
    coverage: {
      provider: 'v8',
      include: ['src/**/*.ts', 'src/**/*.tsx'],
      reporter: ['text-summary', 'text'],
    },
  },
});
