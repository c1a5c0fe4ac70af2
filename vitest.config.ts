import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 20_000,
    hookTimeout: 30_000,
    clearMocks: true,
    // Tests start real HTTP servers on loopback; two cores, so keep the pool small.
    maxWorkers: 2,
  },
});
