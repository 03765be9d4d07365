// Privacy separation, side by side: after a month of the conventional twin (same seed), its raw
// half-hourly reads sit in the DCC's central store where every party can query them and an
// occupancy detector scores well above guessing — while in the Hydra world no party holds them.
import { expect, test } from '../fixtures';

test('the conventional twin leaks half-hourly reads; the Hydra world does not', async ({ page }) => {
  test.setTimeout(240_000);
  await page.goto('/worlds/demo-conventional');
  await expect(page.getByText(/Meters have run to \d{4}-\d{2}-\d{2}/)).toBeVisible({ timeout: 90_000 });
  await page.getByRole('button', { name: 'Run one month' }).click();
  await expect(page.getByText(/home-days simulated, \d+ sealed responses/)).toBeVisible({ timeout: 180_000 });

  await page.goto('/who-sees-what?world=demo');
  await expect(page.getByRole('heading', { level: 1, name: 'Who sees what' })).toBeVisible();
  const hydra = page.getByRole('table', { name: /What each party holds in Demo street$/ });
  const conventional = page.getByRole('table', { name: /What each party holds in Demo street \(conventional design\)/ });
  const hydraReads = hydra.getByRole('row', { name: /Half-hourly reads/ });
  await expect(hydraReads.getByRole('cell')).toHaveText(['—', '—', '—', '—']);
  const conventionalReads = conventional.getByRole('row', { name: /Half-hourly reads/ });
  await expect(conventionalReads.getByRole('cell').first()).toContainText(/meter-days in the central store/);
  await expect(conventionalReads.getByRole('cell').nth(1)).toContainText('queryable');
  await expect(page.getByRole('region', { name: 'What a party could infer — Demo street' }).getByText(/No party holds this world’s half-hourly reads|No party holds this world's half-hourly reads/)).toBeVisible();
  await expect(page.getByText('“Awake at home” half hours right')).toBeVisible();
});
