// The meter inspector in a real browser: it hosts the world itself, so running a day makes the
// supplier open SCP11b to this browser's freshly made meter and collect from it. The registry shows
// the supplier's domain and billing SELECTABLE from the meter's own state; the trace shows the
// set-up and the collect both as the relay carried them (CLA 84) and as the card saw them (80 C0);
// a probe is refused with a firewall event on a copy while the live log stays as it was; the
// trace list works from the keyboard; and what was recorded survives a reload.
import { expect, test } from '../fixtures';

test.describe('the meter inspector', () => {
  test('shows the registry, a live trace on both sides of the relay, and the firewall refusing a probe', async ({ page }, testInfo) => {
    test.setTimeout(600_000);
    await page.goto('/worlds/demo');
    // Let the world page's host make and save this browser's meters before the inspector takes over.
    await expect(page.getByText(/Meters have run to \d{4}-\d{2}-\d{2}/)).toBeVisible({ timeout: 400_000 });
    await page.getByRole('link', { name: 'Meter inspector for home 1', exact: true }).click();
    await expect(page).toHaveURL(/\/worlds\/demo\/homes\/0\/meter$/);
    await expect(page.getByRole('heading', { level: 1, name: 'Meter inspector · demo-m0001' })).toBeVisible();

    // This page hosts the world (it may first catch up to the world clock). Its meters are new in
    // this browser profile, so the supplier (re)opens SCP11b to them; a day's run or two gets it
    // through the relay, then its standing collect is answered.
    const ran = page.getByText(/Meters have run to (\d{4}-\d{2}-\d{2})/);
    await expect(ran).toBeVisible({ timeout: 400_000 });
    const list = page.getByRole('listbox', { name: 'APDU exchanges' });
    const answeredCollect = list.getByRole('option').filter({ hasText: 'COLLECT' }).filter({ hasText: /9000$/ });
    const seen = async () => {
      for (const ins of ['SELECT', 'GET DATA', 'INTERNAL AUTHENTICATE']) if ((await list.getByRole('option').filter({ hasText: ins }).count()) === 0) return false;
      return (await answeredCollect.count()) > 0;
    };
    for (let day = 0; day < 6 && !(await seen()); day++) {
      const before = await ran.innerText();
      await page.getByRole('button', { name: 'Run one day' }).click();
      // The host says how far the meters have run again once this day's run is over.
      await expect.poll(async () => (await ran.count()) > 0 && (await ran.innerText()) !== before, { timeout: 180_000 }).toBe(true);
      await expect(page.getByText(/home-days simulated, \d+ sealed responses/)).toBeVisible();
    }

    // Registry, from the meter's own state.
    const domains = page.getByRole('table', { name: 'Security domains' });
    const supplierDomain = domains.getByRole('row').filter({ hasText: 'supplier security domain' });
    await expect(supplierDomain).toContainText('PERSONALIZED');
    await expect(supplierDomain).toContainText('authorized-management');
    await expect(supplierDomain).toContainText(/SCP11 key v1 · 1 certificate/);
    await expect(domains.getByRole('row').filter({ hasText: 'issuer security domain (card manager)' })).toBeVisible();
    const billing = page.getByRole('table', { name: 'Applet instances' }).getByRole('row').filter({ hasText: 'billing applet instance' });
    await expect(billing).toContainText('SELECTABLE · 07');
    await expect(billing).toContainText('metrology');
    const loadFile = page.getByRole('table', { name: 'Executable load files' }).getByRole('row').filter({ hasText: 'billing load file' });
    await expect(loadFile).toContainText(/[0-9a-f]{64}/);
    await expect(loadFile).toContainText('verified');
    await expect(loadFile.getByRole('link', { name: /billing\.js in the catalog \(same hash\)/ })).toHaveAttribute('href', '/catalog#billing');
    await expect(page.getByTestId('card-lifecycle')).toHaveText(/SECURED\s+0F/);

    // The live trace holds the SCP11b set-up and the collect.
    for (const ins of ['SELECT', 'GET DATA', 'INTERNAL AUTHENTICATE', 'COLLECT']) await expect(list.getByRole('option').filter({ hasText: ins }).first()).toBeVisible();

    // A collect the card answered, on both sides.
    await answeredCollect.last().click();
    const relay = page.getByRole('region', { name: 'As the relay carried it (wrapped)' });
    const plain = page.getByRole('region', { name: 'As the party and the card saw it (plain)' });
    await expect(relay.getByRole('treeitem', { name: /^CLA 84 — GlobalPlatform .*secure messaging: GP proprietary/ })).toBeVisible();
    await expect(relay.getByRole('treeitem', { name: /^C-MAC [0-9A-F]{16}/ })).toBeVisible();
    await expect(relay.getByRole('treeitem', { name: /^R-MAC [0-9A-F]{16}/ })).toBeVisible();
    await expect(relay.getByLabel('As the relay carried it (wrapped): command bytes')).toContainText(/^0000\s+84 C0 00 00/);
    await expect(plain.getByLabel('As the party and the card saw it (plain): command bytes')).toContainText(/^0000\s+80 C0 00 00/);
    await expect(plain.getByRole('treeitem', { name: /^CLA 80 — GlobalPlatform .*no secure messaging/ })).toBeVisible();
    await expect(plain.getByRole('treeitem', { name: 'Status word 9000 — SUCCESS: Normal processing: command completed' })).toBeVisible();
    await expect(plain.getByRole('treeitem', { name: /^JSON \{"items":/ })).toBeVisible();
    // Selecting a field highlights its bytes: the status word, the last two bytes of the answer.
    await plain.getByRole('treeitem', { name: /^Status word 9000/ }).click();
    await expect(plain.getByRole('figure').filter({ hasText: 'response bytes' })).toContainText(/selected 2 at \d+/);
    await expect(relay.getByRole('figure').filter({ hasText: 'response bytes' })).toContainText(/selected 2 at \d+/);

    // The list works from the keyboard.
    await list.focus();
    await page.keyboard.press('Home');
    await expect(list.getByRole('option').first()).toHaveAttribute('aria-selected', 'true');
    await page.keyboard.press('ArrowDown');
    await expect(list.getByRole('option').nth(1)).toHaveAttribute('aria-selected', 'true');
    await page.keyboard.press('End');
    await expect(list.getByRole('option').last()).toHaveAttribute('aria-selected', 'true');
    await page.keyboard.press('ArrowUp');
    const count = await list.getByRole('option').count();
    await expect(list.getByRole('option').nth(count - 2)).toHaveAttribute('aria-selected', 'true');

    // Probes run on a copy: refused with a firewall event there, the live log unchanged.
    const events = page.getByRole('region', { name: 'Firewall events' });
    await expect(events).not.toContainText('firewall.channel-foreign-applet');
    await page.getByRole('button', { name: 'Another party’s channel SELECTs billing' }).click();
    const result = page.getByTestId('probe-result');
    await expect(result).toContainText('Refused:');
    await expect(result).toContainText('6982');
    await expect(result).toContainText('SECURITY_STATUS_NOT_SATISFIED');
    await expect(result).toContainText('firewall.channel-foreign-applet');
    await expect(result).toContainText('registry unchanged');
    await expect(events).not.toContainText('firewall.channel-foreign-applet');

    await page.getByRole('button', { name: 'Load a tampered package' }).click();
    await expect(result).toContainText('dap.refused');
    await expect(result).toContainText('the DAP signature does not verify');
    await expect(result).toContainText('registry unchanged');

    await page.getByRole('button', { name: 'Replay the last wrapped command' }).click();
    await expect(result).toContainText('6982');
    await expect(result).toContainText('command: failed secure messaging (6982)');

    await page.emulateMedia({ colorScheme: 'light' });
    await page.screenshot({ path: testInfo.outputPath('meter-inspector-light.png'), fullPage: true });
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.screenshot({ path: testInfo.outputPath('meter-inspector-dark.png'), fullPage: true });

    // What the meter recorded is stored in this browser: a reload reads it back.
    const before = await list.getByRole('option').count();
    await page.reload();
    await expect.poll(async () => page.getByRole('listbox', { name: 'APDU exchanges' }).getByRole('option').count(), { timeout: 30_000 }).toBeGreaterThanOrEqual(before);
  });

  test('links from the home page', async ({ page }) => {
    await page.goto('/worlds/demo/homes/3');
    await page.getByRole('link', { name: 'Open the meter inspector' }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'Meter inspector · demo-m0004' })).toBeVisible();
  });
});
