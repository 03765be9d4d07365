// Tests that go over real HTTP against the built app (test-http/): run by scripts/test.mjs after
// the build, one file at a time (each starts its own server on a free port with its own database).
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test-http/**/*.test.ts'],
    fileParallelism: false,
    testTimeout: 240_000,
    hookTimeout: 120_000,
  },
});
