// The supplier console: accounts, bills with a per-month chart, tariffs — from the supplier's API
// under its credential; the DCC's credential is refused by the server.
import { expect, test } from '../fixtures';
import { secret } from '../secrets';

test.describe('supplier console', () => {
  test.beforeEach(async ({ context }) => {
    await context.clearCookies();
  });

  test('shows the supplier’s accounts, bills and tariffs as its API holds them', async ({ page, request }) => {
    await page.goto('/');
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Supplier' }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'Supplier' })).toBeVisible();
    await expect(page.getByLabel('View as')).toHaveValue('supplier');
    const worldId = await page.getByRole('combobox', { name: 'World' }).inputValue();

    const auth = { authorization: `Bearer ${secret('HYDRA_SUPPLIER_TOKEN')}` };
    const bills = ((await (await request.get(`/api/supplier/bills?worldId=${worldId}`, { headers: auth })).json()) as { bills: { amountPence: number; period: string }[] }).bills;
    const accounts = ((await (await request.get(`/api/supplier/accounts?worldId=${worldId}`, { headers: auth })).json()) as { accounts: unknown[] }).accounts;

    const stat = (label: string) => page.getByRole('term').filter({ hasText: new RegExp(`^${label}$`) }).locator('xpath=..');
    await expect(stat('Accounts')).toContainText(String(accounts.length));
    await expect(stat('Bills')).toContainText(String(bills.length));
    const total = bills.reduce((sum, bill) => sum + bill.amountPence, 0);
    await expect(stat('Total billed')).toContainText(`£${(total / 100).toFixed(2)}`);
    await expect(page.getByRole('table', { name: 'Tariffs' })).toBeVisible();
    await expect(page.getByRole('table', { name: 'Supply accounts' }).getByRole('rowheader')).toHaveCount(accounts.length);

    if (bills.length === 0) {
      await expect(page.getByRole('heading', { name: 'No bills yet' })).toBeVisible();
    } else {
      const months = new Set(bills.map((bill) => bill.period));
      const chart = page.getByRole('table', { name: 'Total billed per month, £' });
      await expect(chart.getByRole('rowheader')).toHaveCount(months.size);
      await expect(page.getByRole('img', { name: 'Total billed per month, £' })).toBeVisible();
    }
  });

  test('viewed as the DCC, the supplier’s API refuses: the relay cannot read bills', async ({ page }) => {
    await page.goto('/supplier');
    await page.getByLabel('View as').selectOption('dcc');
    await page.getByRole('button', { name: 'Switch' }).click();
    const alert = page.getByRole('main').getByRole('alert');
    await expect(alert).toContainText('The supplier’s API refused this console');
    await expect(alert).toContainText('403 FORBIDDEN');
    await expect(page.getByRole('table', { name: 'Bills the supplier holds' })).toHaveCount(0);
    await expect(page.getByText(/£\d/)).toHaveCount(0);
  });
});
