// Playwright: the specs in ./specs against the built web app, in a real Chromium.
//
//   npm run build                                   # the app must be built first
//   npx playwright test -c e2e/playwright.config.ts
//
// E2E_PORT (default 3100) picks the port; outside CI an app already listening there is reused.
import { defineConfig } from '@playwright/test';
import { chromiumArgs, chromiumExecutablePath } from './chromium.mjs';

const port = Number(process.env.E2E_PORT ?? '3100');
if (!Number.isInteger(port) || port < 1 || port > 65535) {
  throw new RangeError(`E2E_PORT: expected an integer from 1 to 65535, got ${JSON.stringify(process.env.E2E_PORT)}`);
}
// 127.0.0.1, not localhost: the host-resolver rules resolve only 127.0.0.1.
const baseURL = `http://127.0.0.1:${port}`;
const ci = Boolean(process.env.CI);

export default defineConfig({
  testDir: 'specs',
  outputDir: 'test-results',
  fullyParallel: false,
  workers: 1,
  retries: ci ? 1 : 0,
  forbidOnly: ci,
  timeout: 30_000,
  expect: { timeout: 5_000 },
  reporter: ci ? [['list'], ['html', { open: 'never', outputFolder: 'playwright-report' }]] : 'list',
  use: {
    baseURL,
    browserName: 'chromium',
    viewport: { width: 1280, height: 800 },
    launchOptions: {
      executablePath: chromiumExecutablePath(),
      args: [...chromiumArgs],
    },
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
  },
  projects: [{ name: 'chromium' }],
  webServer: {
    command: 'node ../scripts/start-web.mjs',
    cwd: import.meta.dirname,
    url: baseURL,
    env: { PORT: String(port), NEXT_TELEMETRY_DISABLED: '1' },
    reuseExistingServer: !ci,
    timeout: 60_000,
    stdout: 'pipe',
    stderr: 'pipe',
  },
});
