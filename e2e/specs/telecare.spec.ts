// The telecare console: signed in through the "view as" switcher, it enrols a home only on the
// proof of consent its meter signed (a forged proof is refused by the relay, visibly, and changes
// nothing), lists the enrolled home, and the relay's console shows the enrolment as metadata.
// Viewed as another party, the telecare provider's API refuses.
import { expect, test, viewAs } from '../fixtures';
import { consentProof, specKey } from '../meter-keys';
import { secret } from '../secrets';

const TELECARE_AID = 'f0485944520174656c65';

test.describe('telecare console', () => {
  test.beforeEach(async ({ context }) => {
    await context.clearCookies();
  });

  test('enrols a home on its meter’s proof of consent and refuses a forged one', async ({ page, request }) => {
    // Stand in for one home's meter host: register the meter (device key, telecare domain).
    const meterId = 'demo-m0017';
    const device = specKey();
    const registration = { worldId: 'demo', meterId, devicePublicKey: device.publicKeyHex, domains: [{ partyId: 'telecare', aid: TELECARE_AID, publicKey: specKey().publicKeyHex }] };
    expect((await request.post('/api/dcc/meters', { data: { registrations: [registration] } })).status()).toBe(200);
    const sequence = Math.floor(Date.now() / 1000);

    await page.goto('/');
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Telecare' }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'Telecare' })).toBeVisible();
    await viewAs(page, 'telecare');
    await page.getByRole('combobox', { name: 'World' }).selectOption('demo');
    await page.getByRole('button', { name: 'Show' }).click();
    await expect(page.getByRole('table', { name: 'Wellbeing alerts' })).toBeVisible();

    const auth = { authorization: `Bearer ${secret('HYDRA_TELECARE_TOKEN')}` };
    const homes = async () => ((await (await request.get('/api/telecare/homes?worldId=demo', { headers: auth })).json()) as { homes: { meterId: string; withdrawnAt: string | null }[] }).homes;
    const before = await homes();

    const form = page.getByRole('form', { name: 'Enrol a home' });
    const proofBox = form.getByLabel('Proof of consent (from the in-home display)');
    // Signed by a key that is not the meter's: the relay refuses it.
    await proofBox.fill(JSON.stringify(consentProof(specKey(), { worldId: 'demo', meterId, sequence, admitted: true })));
    await form.getByRole('button', { name: 'Enrol home' }).click();
    await expect(form.getByRole('alert')).toContainText('the relay refused the proof (SIGNATURE_INVALID)');
    expect(await homes()).toEqual(before);
    await proofBox.fill('not a proof');
    await form.getByRole('button', { name: 'Enrol home' }).click();
    await expect(form.getByRole('alert')).toContainText('proof: not JSON');

    await proofBox.fill(JSON.stringify(consentProof(device, { worldId: 'demo', meterId, sequence, admitted: true })));
    await form.getByRole('button', { name: 'Enrol home' }).click();
    await expect(form.getByRole('status')).toContainText(`Enrolled ${meterId}`);
    const enrolled = page.getByRole('table', { name: 'Enrolled homes' }).getByRole('row', { name: new RegExp(meterId) });
    await expect(enrolled).toContainText('enrolled');
    expect((await homes()).find((h) => h.meterId === meterId)?.withdrawnAt).toBeNull();

    // The relay records the enrolment — metadata only — and shows it to the DCC.
    await viewAs(page, 'dcc');
    await page.goto('/relay');
    await expect(page.getByRole('table', { name: 'Enrolments' }).getByRole('row', { name: new RegExp(meterId) })).toContainText('admitted');
  });

  test('viewed as the DNO, the telecare provider’s API refuses', async ({ page }) => {
    await page.goto('/telecare');
    await viewAs(page, 'dno');
    const alert = page.getByRole('main').getByRole('alert');
    await expect(alert).toContainText('The telecare provider’s API refused this console');
    await expect(alert).toContainText('403 FORBIDDEN');
    await expect(page.getByRole('table', { name: 'Wellbeing alerts' })).toHaveCount(0);
  });
});
