#!/usr/bin/env node
// Screenshots of app pages in the light and dark themes, for reviewing the UI by eye.
//
//   node scripts/screenshots.mjs [path …]        (default: /)
//   BASE_URL=http://localhost:3000               (default; the app must already be running)
//
// Writes e2e/.screens/<name>-<theme>.png at 1280×800 (full page), where <name> is the path with
// slashes turned into dashes ("/" → "home", "/worlds/abc" → "worlds-abc").
// Uses the same Chromium as the e2e suite (Playwright's own if installed, else /usr/bin/chromium).
import { mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from '@playwright/test';
import { chromiumArgs, chromiumExecutablePath } from '../e2e/chromium.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const outDir = join(root, 'e2e', '.screens');
const themes = /** @type {const} */ (['light', 'dark']);

const baseUrl = new URL(process.env.BASE_URL ?? 'http://localhost:3000');
// The resolver rules only let 127.0.0.1 resolve; localhost means the same machine.
if (baseUrl.hostname === 'localhost') baseUrl.hostname = '127.0.0.1';

const paths = process.argv.slice(2).length > 0 ? process.argv.slice(2) : ['/'];
for (const path of paths) {
  if (!path.startsWith('/')) {
    console.error(`screenshots: paths must start with "/", got ${JSON.stringify(path)}`);
    process.exit(1);
  }
}

/** "/" → "home"; "/worlds/abc?x=1" → "worlds-abc-x-1". */
function nameOf(path) {
  const name = path
    .replace(/^\/+|\/+$/g, '')
    .replace(/[^a-zA-Z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return name === '' ? 'home' : name;
}

mkdirSync(outDir, { recursive: true });
const browser = await chromium.launch({ executablePath: chromiumExecutablePath(), args: [...chromiumArgs] });
let failures = 0;
try {
  for (const theme of themes) {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, colorScheme: theme });
    // Store the theme choice before any page script runs, as the toggle would.
    await context.addInitScript((value) => {
      try {
        window.localStorage.setItem('hydra-theme', value);
      } catch {
        // error pages (connection refused) have no storage; the navigation error is reported below
      }
    }, theme);
    const page = await context.newPage();
    page.on('pageerror', (error) => console.error(`  page error: ${error.message}`));
    for (const path of paths) {
      const url = new URL(path, baseUrl).toString();
      const file = join(outDir, `${nameOf(path)}-${theme}.png`);
      try {
        const response = await page.goto(url, { waitUntil: 'networkidle' });
        const status = response?.status() ?? 0;
        await page.evaluate(() => document.fonts.ready);
        await page.screenshot({ path: file, fullPage: true, animations: 'disabled' });
        console.log(`${status === 200 ? 'ok ' : status} ${url} → ${file}`);
        // A 404 page is worth a screenshot too; a server error is not a result.
        if (status >= 500 || status === 0) failures += 1;
      } catch (error) {
        failures += 1;
        console.error(`fail ${url}: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    await context.close();
  }
} finally {
  await browser.close();
}
if (failures > 0) {
  console.error(`screenshots: ${failures} page(s) failed to load (is the app running at ${baseUrl.origin}?)`);
  process.exit(1);
}
