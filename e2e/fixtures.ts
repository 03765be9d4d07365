// Test fixtures for every spec: import `test` and `expect` from here, not from @playwright/test.
// Any browser console error or uncaught page error fails the test that caused it.
import { test as base, expect, type ConsoleMessage, type Page } from '@playwright/test';

/** Options a spec can set with `test.use({ … })`. */
export interface ShellOptions {
  /** Console errors a spec expects (e.g. the 404 resource error on a not-found page). */
  allowedConsoleErrors: RegExp[];
}

interface ShellFixtures {
  /** Errors collected during the test; checked automatically after it. */
  browserErrors: string[];
}

export const test = base.extend<ShellOptions & ShellFixtures>({
  allowedConsoleErrors: [[], { option: true }],
  browserErrors: [
    async ({ page, allowedConsoleErrors }, use, testInfo) => {
      const errors: string[] = [];
      const onConsole = (message: ConsoleMessage) => {
        if (message.type() !== 'error') return;
        const text = message.text();
        if (allowedConsoleErrors.some((pattern) => pattern.test(text))) return;
        const { url, lineNumber } = message.location();
        errors.push(`console.error: ${text}${url ? ` (${url}:${lineNumber})` : ''}`);
      };
      const onPageError = (error: Error) => errors.push(`pageerror: ${error.stack ?? error.message}`);
      page.on('console', onConsole);
      page.on('pageerror', onPageError);

      await use(errors);

      page.off('console', onConsole);
      page.off('pageerror', onPageError);
      if (errors.length > 0) await testInfo.attach('browser-errors', { body: errors.join('\n'), contentType: 'text/plain' });
      expect(errors, 'the page logged errors to the browser console').toEqual([]);
    },
    { auto: true },
  ],
});

export { expect };

/**
 * Switches the "View as" party and waits until the server has set it: the switch is a server action
 * and the console re-renders with the party the cookie holds, so the whole step is retried if a
 * re-render on a busy machine put the old party back before the click.
 */
export async function viewAs(page: Page, party: string): Promise<void> {
  await expect(async () => {
    await page.getByLabel('View as').selectOption(party);
    await page.getByRole('button', { name: 'Switch' }).click();
    await page.waitForLoadState('networkidle');
    await expect(page.getByLabel('View as')).toHaveValue(party, { timeout: 3_000 });
  }).toPass({ timeout: 45_000 });
}
