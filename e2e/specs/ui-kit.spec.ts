// The UI kit as rendered on the component gallery (/ui-kit): the accessibility contracts of the
// chart, progress bar, tables and code block, and chart colours that follow the theme.
import { expect, test } from '../fixtures';

test.describe('component gallery', () => {
  test.beforeEach(async ({ page }) => {
    await page.goto('/ui-kit');
  });

  test('a chart is a named image with its numbers in a table for screen readers', async ({ page }) => {
    const plot = page.getByRole('img', { name: 'Monthly import and export, kWh' });
    await expect(plot).toBeVisible();
    await expect(plot.locator('svg').first()).toBeVisible();

    const table = page.getByRole('table', { name: 'Monthly import and export, kWh' });
    await expect(table.getByRole('columnheader')).toHaveText(['Month', 'Import (kWh)', 'Export (kWh)']);
    await expect(table.getByRole('rowheader')).toHaveCount(12);
    await expect(table.getByRole('row', { name: /^Jan/ })).toContainText('301');
  });

  test('chart colours come from the theme', async ({ page }) => {
    const bar = page.getByRole('img', { name: 'Monthly import and export, kWh' }).locator('.recharts-rectangle').first();
    await expect(bar).toBeVisible();
    const fill = () => bar.evaluate((element) => getComputedStyle(element).fill);
    const before = await fill();
    const wasDark = (await page.locator('html').getAttribute('data-theme')) === 'dark';
    await page.getByRole('button', { name: 'Dark theme' }).click();
    await expect(page.locator('html')).toHaveAttribute('data-theme', wasDark ? 'light' : 'dark');
    expect(await fill()).not.toBe(before);
  });

  test('progress bars expose their value', async ({ page }) => {
    const year = page.getByRole('progressbar', { name: 'Simulating 2026' });
    await expect(year).toHaveAttribute('aria-valuenow', '120');
    await expect(year).toHaveAttribute('aria-valuemax', '365');
    await expect(year).toHaveAttribute('aria-valuetext', 'Day 120 of 365');
    // Indeterminate: no current value.
    await expect(page.getByRole('progressbar', { name: 'Waiting for the meter host' })).not.toHaveAttribute(
      'aria-valuenow',
      /.*/,
    );
  });

  test('an empty table says so in a row of its own', async ({ page }) => {
    const table = page.getByRole('table', { name: 'Wellbeing alerts' });
    await expect(table.getByRole('cell')).toHaveText(['No alerts: no consenting home has missed its usual activity.']);
  });

  test('a code block is a named, keyboard-scrollable region holding the bytes', async ({ page }) => {
    const code = page.getByLabel('SELECT command APDU');
    await expect(code).toHaveText('00 A4 04 00 09 A0 00 00 01 51 00 00 00 01 00');
    await code.focus();
    await expect(code).toBeFocused();
  });
});
