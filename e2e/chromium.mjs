// Which Chromium to drive and how, shared by playwright.config.ts and scripts/screenshots.mjs.
// Playwright's own browser when installed; otherwise Debian's /usr/bin/chromium
// (`npx playwright install` cannot download on machines without outside network access).
import { existsSync } from 'node:fs';
import { chromium } from '@playwright/test';

/** Debian's Chromium (`apt-get install -y chromium`). */
export const SYSTEM_CHROMIUM = '/usr/bin/chromium';

/**
 * Path of the Chromium binary to launch.
 * @returns {string}
 * @throws {Error} when neither Playwright's browser nor Debian's Chromium is installed.
 */
export function chromiumExecutablePath() {
  const bundled = chromium.executablePath();
  if (existsSync(bundled)) return bundled;
  if (existsSync(SYSTEM_CHROMIUM)) return SYSTEM_CHROMIUM;
  throw new Error(
    `No Chromium found: neither Playwright's (${bundled}) nor ${SYSTEM_CHROMIUM}. Install one with \`apt-get install -y chromium\`.`,
  );
}

/**
 * Launch flags: no sandbox or GPU (containers), no background traffic, and no DNS lookups for
 * anything but the local app, so a test can never reach outside hosts.
 * @type {readonly string[]}
 */
export const chromiumArgs = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
  '--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1',
];
