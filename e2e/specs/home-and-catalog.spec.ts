// A home's page (charts simulated in the browser, span switching from the keyboard) and the
// applet catalog (every applet's signed hash and its published source).
import { expect, test } from '../fixtures';

test.describe('a home', () => {
  test('shows its energy over a day and switches to a year', async ({ page }) => {
    await page.goto('/worlds/demo');
    await page.getByRole('link', { name: 'demo-m0004' }).click();
    await expect(page.getByRole('heading', { level: 1, name: /Home 4 · meter demo-m0004/ })).toBeVisible();
    const chart = page.getByRole('img', { name: /Energy use of this home/ });
    await expect(chart).toBeVisible();
    const imported = page.getByText('Imported').locator('..');
    const dayTotal = Number((await imported.innerText()).match(/([\d.]+)\s*kWh/)?.[1]);
    expect(dayTotal).toBeGreaterThan(0);

    await page.getByRole('button', { name: 'Year', exact: true }).focus();
    await page.keyboard.press('Enter');
    await expect(page.getByRole('button', { name: 'Year', exact: true })).toHaveAttribute('aria-pressed', 'true');
    await expect(chart).toHaveAccessibleName(/Energy use of this home, 20\d\d/);
    const yearTotal = Number((await imported.innerText()).match(/([\d.]+)\s*kWh/)?.[1]);
    // A year of a UK home: well over a hundred days' worth of the day's use, and plausible.
    expect(yearTotal).toBeGreaterThan(dayTotal * 100);
    expect(yearTotal).toBeLessThan(20_000);

    await page.getByRole('button', { name: 'Previous year' }).click();
    await expect(chart).toHaveAccessibleName(/Energy use of this home, 20\d\d/);
  });
});

test.describe('the applet catalog', () => {
  test('lists every applet with a verifying signature and its published source', async ({ page }) => {
    await page.goto('/catalog');
    await expect(page.getByRole('heading', { level: 1, name: 'What runs on every meter' })).toBeVisible();
    for (const file of ['billing.js', 'power-quality.js', 'load-control.js', 'aggregation.js', 'telecare.js', 'insights.js']) {
      const card = page.getByRole('region', { name: new RegExp(file.replace('.', '\\.')) });
      await expect(card).toContainText('signature verifies');
      await expect(card).toContainText(/[0-9a-f]{64}/);
    }
    await page.getByText(/Published source/).first().click();
    await expect(page.getByLabel(/Source of aggregation\.js/)).toContainText('export const manifest');
  });
});
