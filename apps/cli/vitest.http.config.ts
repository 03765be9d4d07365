// Tests against the built web app over HTTP (test-http/): run by scripts/test.mjs after the build.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test-http/**/*.test.ts'],
    fileParallelism: false,
    testTimeout: 300_000,
    hookTimeout: 120_000,
  },
});
