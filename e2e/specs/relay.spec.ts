// The DCC console: viewed as the DCC it shows the relay's metadata log, queues, dead letters and
// refusals, with filters; viewed as another party the server refuses and the page says what to do.
import { expect, test } from '../fixtures';
import { secret } from '../secrets';

test.describe('relay console', () => {
  test.beforeEach(async ({ context }) => {
    await context.clearCookies();
  });

  test('is linked from the navigation and shows the relay’s records to the DCC', async ({ page, request }) => {
    await page.goto('/');
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Relay' }).click();
    await expect(page).toHaveURL(/\/relay$/);
    await expect(page.getByRole('heading', { level: 1, name: 'Relay' })).toBeVisible();
    await expect(page.getByLabel('View as')).toHaveValue('dcc');

    for (const name of ['Relay metadata log', 'Queue depth per party and direction', 'Dead letters', 'Refused requests']) {
      await expect(page.getByRole('table', { name })).toBeVisible();
    }
    // What the page shows is what the relay's API holds.
    const api = await request.get('/api/dcc/queues', { headers: { authorization: `Bearer ${secret('HYDRA_DCC_TOKEN')}` } });
    expect(api.status()).toBe(200);
    const { channels } = (await api.json()) as { channels: { queued: number }[] };
    const queued = channels.reduce((sum, channel) => sum + channel.queued, 0);
    await expect(page.getByRole('term').filter({ hasText: 'Queued' }).locator('xpath=..')).toContainText(String(queued));
  });

  test('filters the metadata log by state and says when nothing matches', async ({ page }) => {
    await page.goto('/relay');
    await page.getByRole('combobox', { name: 'State' }).selectOption('dead');
    await page.getByRole('combobox', { name: 'Class' }).selectOption('load-control');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await expect(page).toHaveURL(/state=dead/);
    await expect(page).toHaveURL(/messageClass=load-control/);
    const log = page.getByRole('table', { name: 'Relay metadata log' });
    await expect(log.getByRole('cell')).toHaveText(['No message matches these filters. Clear a filter to see more.']);
  });

  test('viewed as the supplier, the relay’s API refuses and the page says how to get in', async ({ page }) => {
    await page.goto('/relay');
    await page.getByLabel('View as').selectOption('supplier');
    await page.getByRole('button', { name: 'Switch' }).click();
    const alert = page.getByRole('main').getByRole('alert');
    await expect(alert).toContainText('The relay refused this console');
    await expect(alert).toContainText('403 FORBIDDEN');
    await expect(alert).toContainText('switch “View as” to DCC (relay)');
    await expect(page.getByRole('table', { name: 'Relay metadata log' })).toHaveCount(0);

    await page.getByLabel('View as').selectOption('dcc');
    await page.getByRole('button', { name: 'Switch' }).click();
    await expect(page.getByRole('table', { name: 'Relay metadata log' })).toBeVisible();
  });
});
