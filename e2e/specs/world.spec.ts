// The walking skeleton in a real browser: the world page hosts 24 meters in a Web Worker (SES
// compartments, IndexedDB), "Run one month" advances the server's world clock, the meters answer
// the supplier's collect commands through the relay over HTTP, and the supplier's bills appear —
// while the relay's log shows metadata only.
import { expect, test } from '../fixtures';

test.describe('a world', () => {
  test('is listed on the dashboard and opens', async ({ page }) => {
    await page.goto('/');
    await page.getByRole('link', { name: 'Open Demo street', exact: true }).click();
    await expect(page).toHaveURL(/\/worlds\/demo$/);
    await expect(page.getByRole('heading', { level: 1, name: 'Demo street' })).toBeVisible();
  });

  test('runs a month: bills reach the supplier and the relay log holds no amount', async ({ page }) => {
    test.setTimeout(240_000);
    await page.goto('/worlds/demo');
    await expect(page.getByText(/Meters have run to \d{4}-\d{2}-\d{2}/)).toBeVisible({ timeout: 90_000 });
    const bills = page.getByTestId('supplier-bills');
    const billRows = bills.getByRole('row').filter({ hasText: /£\d+\.\d\d/ });
    const before = await billRows.count();

    await page.getByRole('button', { name: 'Run one month' }).click();
    await expect(page.getByRole('progressbar')).toBeVisible();
    await expect(page.getByText(/home-days simulated, \d+ sealed responses/)).toBeVisible({ timeout: 180_000 });

    // One statement per home for the month that closed.
    await expect.poll(async () => billRows.count(), { timeout: 30_000 }).toBeGreaterThanOrEqual(before + 24);
    // And they are stored, not just shown: a reload shows the same bills.
    await page.reload();
    await expect.poll(async () => billRows.count(), { timeout: 15_000 }).toBeGreaterThanOrEqual(before + 24);
    const amounts = (await bills.getByRole('row').allInnerTexts()).flatMap((row) => row.match(/£\d+\.\d\d/g) ?? []);
    expect(amounts.length).toBeGreaterThanOrEqual(24);

    const relay = page.getByTestId('relay-log');
    await expect(relay.getByRole('row').nth(1)).toBeVisible();
    const relayText = await relay.innerText();
    expect(relayText).not.toContain('£');
    for (const amount of amounts) expect(relayText).not.toContain(amount.slice(1));
    // Every party's traffic shares the log; the DCC's console filters it to the supplier's answers.
    await page.goto('/relay?worldId=demo&partyId=supplier&messageClass=collect-response');
    const main = page.getByRole('main');
    await expect(main.getByRole('row').filter({ hasText: 'collect-response' }).first()).toBeVisible();
    const consoleText = await main.innerText();
    expect(consoleText).not.toContain('£');
    for (const amount of amounts) expect(consoleText).not.toContain(amount.slice(1));
  });
});

test.describe('an unknown world', () => {
  test.use({ allowedConsoleErrors: [/404/] });

  test('gets a clear not-found page', async ({ page }) => {
    // The root loading boundary streams the page, so the status is sent before notFound() runs;
    // the reader sees the not-found page, and the API answers a real 404.
    await page.goto('/worlds/no-such-world');
    await expect(page.getByRole('heading', { level: 1, name: 'Page not found' })).toBeVisible();
    const api = await page.request.get('/api/worlds/no-such-world');
    expect(api.status()).toBe(404);
    expect((await api.json()) as unknown).toEqual({ error: { code: 'WORLD_UNKNOWN', message: 'world no-such-world does not exist' } });
  });
});
