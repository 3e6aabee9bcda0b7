import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
    globalSetup: ['test/global-setup.ts', 'test/support/postgres-global-setup.ts'],
    // Two files at a time: most tests wait on child processes, sockets and timers rather
    // than compute, so on a 2-core machine two workers finish in about two thirds of the
    // time one takes (vitest's default there is one).
    maxWorkers: 2,
    // A worker's files share its loaded modules instead of loading them again for each
    // file (a sixth of the suite's time went to that). Tests restore what they change of the
    // process (timers, spies, env) and tell their own timers from others' by what they own.
    isolate: false,
    testTimeout: 20_000,
    hookTimeout: 20_000,
    coverage: {
      provider: 'v8',
      include: ['src/**/*.ts', 'src/**/*.tsx'],
      reporter: ['text-summary', 'text'],
    },
  },
});
