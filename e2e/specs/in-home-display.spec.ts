// The in-home display on a home's page: insights from the householder's own applet, the
// data-sharing choice (and its effect on what the supplier receives), telecare installed with
// consent and deleted on withdrawal — each done on the meter in the browser's worker and kept in
// IndexedDB. And a world created with the GB-licence data-sharing preset.
import type { Page } from '@playwright/test';
import { expect, test } from '../fixtures';
import { secret } from '../secrets';

const supplierAuth = () => ({ authorization: `Bearer ${secret('HYDRA_SUPPLIER_TOKEN')}` });

/** Opens a home of the demo world and waits until its display has read the meter. */
async function openDisplay(page: Page, meter: string): Promise<ReturnType<Page['getByRole']>> {
  await page.goto('/worlds/demo');
  await page.getByRole('link', { name: meter }).click();
  const display = page.getByRole('region', { name: 'In-home display' });
  // The world page's own host is starting in this tab: the navigation can take a while on a busy machine.
  await expect(display).toBeVisible({ timeout: 60_000 });
  await expect(display.getByText(/Meter has metered up to \d{4}-\d{2}-\d{2}/)).toBeVisible({ timeout: 180_000 });
  await expect(display.getByRole('heading', { name: 'What your supplier may receive' })).toBeVisible({ timeout: 30_000 });
  return display;
}

type Read = { meterId: string; date: string; resolution: string; importWh: number[] };

async function reads(page: Page, meterId: string): Promise<Read[]> {
  const response = await page.request.get(`/api/supplier/reads?worldId=demo&meterId=${meterId}`, { headers: supplierAuth() });
  expect(response.status()).toBe(200);
  return ((await response.json()) as { reads: Read[] }).reads;
}

/** Runs the demo world one month from its page (the meters in this tab's worker). */
async function runMonth(page: Page): Promise<void> {
  await page.goto('/worlds/demo');
  await expect(page.getByText(/Meters have run to \d{4}-\d{2}-\d{2}/)).toBeVisible({ timeout: 180_000 });
  await page.getByRole('button', { name: 'Run one month' }).click();
  await expect(page.getByText(/home-days simulated, \d+ sealed responses/)).toBeVisible({ timeout: 240_000 });
}

test.describe('the in-home display', () => {
  test('shows the insights applet’s view of this month', async ({ page }) => {
    test.setTimeout(240_000);
    const display = await openDisplay(page, 'demo-m0003');
    // Either the meter has metered (the month so far, a chart of the last days) or it says why not.
    const month = display.getByRole('heading', { name: /(This month so far|Last month metered) \(\d{4}-\d{2}\)/ });
    const none = display.getByRole('heading', { name: 'No readings yet' });
    await expect(month.or(none)).toBeVisible();
    if (await month.isVisible()) {
      await expect(display.getByRole('img', { name: 'Your last 7 days, kWh imported' })).toBeVisible();
      await expect(display.getByText('Spent so far')).toBeVisible();
      expect(Number((await display.getByText('Imported', { exact: true }).locator('..').innerText()).match(/([\d.]+)\s*kWh/)?.[1])).toBeGreaterThan(0);
    }
  });

  test('changing data sharing changes what the supplier receives: daily reads only while daily sharing is on', async ({ page }) => {
    test.setTimeout(660_000);
    const meter = 'demo-m0002';
    let display = await openDisplay(page, meter);
    const sharing = display.getByRole('group', { name: 'Data sharing with your supplier' });
    await sharing.getByRole('radio', { name: /Daily totals/ }).check();
    await display.getByRole('button', { name: 'Save sharing choice' }).click();
    await expect(display.getByRole('status')).toHaveText('Saved: Daily totals.');
    await expect(display.getByText(/Now: Daily totals \(your choice, from \d{4}-\d{2}-\d{2}\)/)).toBeVisible();
    // Kept on the meter (IndexedDB): a reload reads the same choice back from the card.
    await page.reload();
    display = page.getByRole('region', { name: 'In-home display' });
    await expect(display.getByText(/Now: Daily totals \(your choice/)).toBeVisible({ timeout: 60_000 });
    await expect(display.getByRole('radio', { name: /Daily totals/ })).toBeChecked();

    // A month runs: the supplier now holds one daily read per day for this meter, and none for a neighbour.
    const before = (await reads(page, meter)).length;
    await runMonth(page);
    // This browser's meters are new cards (its own IndexedDB): on a busy machine the supplier may
    // still be re-opening its channel when the month ends, and the reads wait on the card for the
    // next month's collect.
    const arrived = async () => (await reads(page, meter)).length >= before + 28;
    if (!(await expect.poll(arrived, { timeout: 30_000 }).toBe(true).then(() => true, () => false))) {
      await runMonth(page);
      await expect.poll(arrived, { timeout: 30_000 }).toBe(true);
    }
    const shared = await reads(page, meter);
    expect(shared.every((read) => read.resolution === 'daily' && read.importWh.length === 1)).toBe(true);
    expect(await reads(page, 'demo-m0003')).toEqual([]);
    // The supplier's console shows them too.
    await page.goto('/supplier?worldId=demo');
    await expect(page.getByTestId('supplier-console-reads').getByRole('rowheader', { name: meter }).first()).toBeVisible();

    // Back to the monthly bill only: the next month adds no reads.
    display = await openDisplay(page, meter);
    await display.getByRole('radio', { name: /Monthly bill only/ }).check();
    await display.getByRole('button', { name: 'Save sharing choice' }).click();
    await expect(display.getByRole('status')).toHaveText('Saved: Monthly bill only.');
    // Whatever was already metered under daily sharing has arrived once the count stops moving.
    let after = -1;
    await expect
      .poll(
        async () => {
          const count = (await reads(page, meter)).length;
          const settled = count === after;
          after = count;
          return settled;
        },
        { timeout: 30_000, intervals: [3_000] },
      )
      .toBe(true);
    await runMonth(page);
    await page.waitForTimeout(3_000);
    expect((await reads(page, meter)).length).toBe(after);
  });

  test('installs telecare only with consent, and withdrawing consent deletes it; both survive a reload', async ({ page }) => {
    test.setTimeout(300_000);
    let display = await openDisplay(page, 'demo-m0005');
    const telecare = () => display.getByRole('region', { name: 'Telecare' });
    // Start from no telecare (a previous run may have left it installed).
    if (await display.getByRole('button', { name: 'Withdraw consent' }).isVisible()) {
      await display.getByRole('button', { name: 'Withdraw consent' }).click();
      await expect(display.getByText('Not installed')).toBeVisible({ timeout: 30_000 });
    }
    await expect(telecare().getByText('Not installed')).toBeVisible();
    await display.getByRole('button', { name: 'Consent to telecare' }).click();
    await expect(display.getByRole('status')).toHaveText('Telecare is installed on your meter with your consent.', { timeout: 30_000 });
    await expect(display.getByText(/Installed with your consent \(v\d+\.\d+\.\d+\)/)).toBeVisible();
    // The meter signs a statement of the decision with its device key; the provider carries it to
    // the relay, which admits telecare to this meter only on it.
    const proofText = (await telecare().getByRole('figure', { name: 'Proof of consent' }).locator('code').innerText()).trim();
    expect(JSON.parse(proofText)).toEqual({ statement: expect.stringContaining('"meterId":"demo-m0005"'), signature: expect.stringMatching(/^[0-9a-f]{128}$/) });
    const homePage = page.url();
    await page.goto('/telecare');
    await page.getByLabel('View as').selectOption('telecare');
    await page.getByRole('button', { name: 'Switch' }).click();
    await page.getByRole('combobox', { name: 'World' }).selectOption('demo');
    await page.getByRole('button', { name: 'Show' }).click();
    const enrol = page.getByRole('form', { name: 'Enrol a home' });
    await enrol.getByLabel('Proof of consent (from the in-home display)').fill(proofText);
    await enrol.getByRole('button', { name: 'Enrol home' }).click();
    await expect(enrol.getByRole('status')).toContainText('Enrolled demo-m0005');
    await page.getByLabel('View as').selectOption('dcc');
    await page.getByRole('button', { name: 'Switch' }).click();
    await page.goto(homePage);
    display = page.getByRole('region', { name: 'In-home display' });

    await page.reload();
    display = page.getByRole('region', { name: 'In-home display' });
    await expect(display.getByText(/Installed with your consent/)).toBeVisible({ timeout: 120_000 });
    await display.getByRole('button', { name: 'Withdraw consent' }).click();
    await expect(display.getByRole('status')).toHaveText('Consent withdrawn: telecare and everything it learned are deleted from your meter.', { timeout: 30_000 });
    await expect(display.getByText('Not installed')).toBeVisible();
    await page.reload();
    display = page.getByRole('region', { name: 'In-home display' });
    await expect(display.getByRole('button', { name: 'Consent to telecare' })).toBeVisible({ timeout: 120_000 });
  });
});

test.describe('creating a world', () => {
  // The form's bad input gets the API's 400 answer, which the browser logs as a failed resource.
  test.use({ allowedConsoleErrors: [/status of 400 \(Bad Request\)/] });

  test('with the GB-licence preset: shown on the world list and page, and on each home’s display', async ({ page }) => {
    test.setTimeout(240_000);
    const name = `Licence street ${Date.now().toString(36)}`;
    await page.goto('/worlds');
    const form = page.getByRole('region', { name: 'New world' });
    await form.getByLabel('Name').fill(name);
    await form.getByLabel('Homes').fill('3');
    await form.getByRole('button', { name: 'Create world' }).click();
    // Bad input is refused with a message, and nothing is created.
    await expect(form.getByRole('alert')).toContainText('at least 5 homes');
    await expect(page).toHaveURL(/\/worlds$/);
    await form.getByLabel('Homes').fill('6');
    await form.getByLabel('Data sharing').selectOption('gb-licence');
    await form.getByRole('button', { name: 'Create world' }).click();
    await expect(page.getByRole('heading', { level: 1, name })).toBeVisible({ timeout: 30_000 });
    await expect(page.getByText(/data sharing: GB licence defaults/)).toBeVisible();
    const worldUrl = page.url();
    const worldId = worldUrl.split('/').pop() ?? '';
    const api = (await (await page.request.get(`/api/worlds/${worldId}`)).json()) as { sharingPreset: string; homes: unknown[] };
    expect(api).toMatchObject({ sharingPreset: 'gb-licence' });
    expect(api.homes).toHaveLength(6);

    await page.goto('/worlds');
    await expect(page.getByRole('table', { name: 'Worlds' }).getByRole('row', { name: new RegExp(name) })).toContainText('GB licence');

    await page.goto(`${worldUrl}/homes/0`);
    const display = page.getByRole('region', { name: 'In-home display' });
    await expect(display.getByText(/Now: Daily totals \(the default\)/)).toBeVisible({ timeout: 180_000 });
    await expect(display.getByText(/GB licence defaults: daily totals unless you opt out/)).toBeVisible();
  });
});
