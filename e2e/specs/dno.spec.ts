// The DNO console: signed in through the "view as" switcher, it shows the feeders (public registry)
// with the meters the relay announced to the DNO, refuses a malformed campaign with a visible error
// naming the field (and stores nothing), and signs and queues a valid one to every DNO meter on the
// feeder, each with its acknowledgement row. Viewed as another party, the DNO's API refuses.
import { expect, test, viewAs } from '../fixtures';
import { specKey } from '../meter-keys';
import { secret } from '../secrets';

const DNO_AID = 'f04859445201646e6f';

test.describe('DNO console', () => {
  test.beforeEach(async ({ context }) => {
    await context.clearCookies();
  });

  test('shows its feeders and sends a validated, signed load-control campaign with per-meter acknowledgements', async ({ page, request }) => {
    // Stand in for the meter host of one feeder: register its meters with a DNO security domain,
    // so the relay announces them to the DNO (public keys only; the manufacturer CA certifies them).
    const world = (await (await request.get('/api/worlds/demo')).json()) as { homes: { meterId: string; feederId: string }[] };
    const byFeeder = new Map<string, string[]>();
    for (const home of world.homes) byFeeder.set(home.feederId, [...(byFeeder.get(home.feederId) ?? []), home.meterId]);
    const [feederId, meterIds] = [...byFeeder.entries()].sort((a, b) => b[1].length - a[1].length)[0] ?? ['', []];
    const registrations = meterIds.map((meterId) => ({ worldId: 'demo', meterId, devicePublicKey: specKey().publicKeyHex, domains: [{ partyId: 'dno', aid: DNO_AID, publicKey: specKey().publicKeyHex }] }));
    expect((await request.post('/api/dcc/meters', { data: { registrations } })).status()).toBe(200);

    await page.goto('/');
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'DNO' }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'DNO' })).toBeVisible();
    await viewAs(page, 'dno');
    await page.getByRole('combobox', { name: 'World' }).selectOption('demo');
    await page.getByRole('button', { name: 'Show' }).click();

    const feeders = page.getByRole('table', { name: 'Feeders and their events' });
    const row = feeders.getByRole('row', { name: new RegExp(feederId) });
    await expect(row.getByRole('cell').nth(1)).toHaveText(String(meterIds.length));
    await expect(page.getByRole('heading', { name: 'No feeder load yet' })).toBeVisible();

    const auth = { authorization: `Bearer ${secret('HYDRA_DNO_TOKEN')}` };
    const campaignsNow = async () => ((await (await request.get('/api/dno/campaigns?worldId=demo', { headers: auth })).json()) as { campaigns: { campaignId: string }[] }).campaigns.length;
    const before = await campaignsNow();

    const form = page.getByRole('form', { name: 'New load-control campaign' });
    await form.getByLabel('Target feeder').selectOption(feederId);
    await form.getByLabel('Randomisation window (s, ≤ 600)').fill('700');
    await form.getByRole('button', { name: 'Sign and send campaign' }).click();
    await expect(form.getByRole('alert')).toContainText('randomisationSeconds: expected at most 600 s (DCUSA DCP204)');
    await expect(form.getByLabel('Randomisation window (s, ≤ 600)')).toHaveAttribute('aria-invalid', 'true');
    // What was entered stays, to be corrected.
    await expect(form.getByLabel('Randomisation window (s, ≤ 600)')).toHaveValue('700');
    await expect(form.getByLabel('Target feeder')).toHaveValue(feederId);
    expect(await campaignsNow()).toBe(before);

    await form.getByLabel('Action').selectOption('limit');
    await form.getByLabel('Cap (kW, with Limit)').fill('0');
    await form.getByLabel('Randomisation window (s, ≤ 600)').fill('300');
    await form.getByRole('button', { name: 'Sign and send campaign' }).click();
    await expect(form.getByRole('alert')).toContainText("limitKw: expected more than 0 kW with action 'limit'");
    await expect(form.getByLabel('Cap (kW, with Limit)')).toHaveAttribute('aria-invalid', 'true');
    expect(await campaignsNow()).toBe(before);

    await form.getByLabel('Cap (kW, with Limit)').fill('3.6');
    await form.getByRole('button', { name: 'Sign and send campaign' }).click();
    await expect(form.getByRole('status')).toContainText(`signed and queued to ${meterIds.length} meter(s)`);
    expect(await campaignsNow()).toBe(before + 1);
    const campaignId = (await form.getByRole('status').locator('.font-mono').textContent()) ?? '';
    const acks = page.getByRole('table', { name: `Acknowledgements of ${campaignId}` });
    await expect(acks.getByRole('rowheader')).toHaveText(meterIds);
    await expect(acks.getByText('queued')).toHaveCount(meterIds.length);

    // The relay carried the DNO's traffic and shows its metadata only.
    await viewAs(page, 'dcc');
    await page.goto('/relay?partyId=dno&worldId=demo');
    await expect(page.getByRole('table', { name: 'Relay metadata log' }).getByRole('row', { name: /session-setup/ }).first()).toBeVisible();
  });

  test('viewed as the supplier, the DNO’s API refuses and no campaign can be sent', async ({ page }) => {
    await page.goto('/dno');
    await viewAs(page, 'supplier');
    const alert = page.getByRole('main').getByRole('alert');
    await expect(alert).toContainText('The DNO’s API refused this console');
    await expect(alert).toContainText('403 FORBIDDEN');
    await expect(alert).toContainText('Switch “View as” to DNO');
    await expect(page.getByRole('form', { name: 'New load-control campaign' })).toHaveCount(0);
  });
});
