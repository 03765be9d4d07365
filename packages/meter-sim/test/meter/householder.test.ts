// The householder's interface to their own meter (local, never through the relay): the insights
// view, the data-sharing choice with immediate effect on what billing sends, and telecare installed
// only with a signed consent and deleted with a signed withdrawal — storage wiped, its domain's
// sessions ended. Bad input is refused and changes nothing.
import { bytesToHex, generateKeyPair, signMessage, utf8ToBytes } from '@hydra/globalplatform';
import { describe, expect, it } from 'vitest';
import { datesBetween } from '../../src/calendar';
import { createHomeProfile, simulateHomeDay } from '../../src/home/index';
import { createMemoryStateStore, MeterFleet } from '../../src/host/fleet';
import { canonicalJson, HouseholderError, signHouseholderDocument, type Householder, type SignedDocument } from '../../src/meter/householder';
import { appletAidOf, type MeterCore, type SharingPreset, type SignedCatalog } from '../../src/meter/meter-core';
import { appletSourceHash, signAppletSource } from '../../src/secure-element/index';
import { hydraAid } from '../../src/secure-element/registry';
import { compile, secureRandom as random } from '../secure-element/fixture';
import { CA, CATALOG, certify, PartyHost } from './party-host';

const SEED = 'householder-world';
const TARIFF = { id: 'flat-1', kind: 'flat', unitRate: 24_500, standingCharge: 60_990 };

async function meter(options: { preset?: SharingPreset; catalog?: SignedCatalog; index?: number } = {}): Promise<{ core: MeterCore; display: Householder; fleet: MeterFleet; supplier: PartyHost }> {
  const fleet = await MeterFleet.open({
    worldId: 'w',
    seed: SEED,
    startDate: '2025-01-01',
    homeIndices: [options.index ?? 0],
    catalog: options.catalog ?? CATALOG,
    ca: CA,
    compile,
    random,
    store: createMemoryStateStore(),
    sharingPreset: options.preset ?? 'hydra',
  });
  const core = fleet.meters()[0]!;
  certify(core);
  const supplier = new PartyHost(core, 'supplier');
  expect(supplier.command('billing', 'set-tariff', { tariff: TARIFF }, 'set-tariff').sw).toBe(0x9000);
  return { core, display: fleet.householder(core.state.meterId)!, fleet, supplier };
}

/** A document signed by someone other than this meter's householder. */
function forged(fields: Record<string, unknown>): SignedDocument {
  const document = canonicalJson(fields as never);
  return { document, signature: bytesToHex(signMessage(utf8ToBytes(document), generateKeyPair(random).privateKey)) };
}

const telecareState = (core: MeterCore) => ({
  loadFiles: Object.keys(core.state.se.registry.loadFiles).sort(),
  applets: Object.keys(core.state.se.registry.applets).sort(),
});

describe('insights on the in-home display', () => {
  it("shows the month so far, the budget, the breakdown and tips, from the householder's own applet", async () => {
    const { display, fleet } = await meter();
    fleet.advanceTo('2025-01-15');
    const view = display.insights();
    const profile = createHomeProfile(SEED, 0);
    const importWh = datesBetween('2025-01-01', '2025-01-15').reduce((sum, date) => sum + simulateHomeDay(profile, date).importWh.reduce((s, x) => s + x, 0), 0);
    expect(view).toMatchObject({ period: '2025-01', importWh, budgetPence: 6000 });
    expect(view.estimatedPence).toBe(Math.floor((importWh * 24_500 + 14 * 60_990 * 1000 + 500_000) / 1_000_000));
    expect(view.recent).toHaveLength(7);
    expect(view.breakdown.baseloadWh).toBeGreaterThan(0);
    expect(Array.isArray(view.tips)).toBe(true);
  });
});

describe('the data-sharing choice', () => {
  it('follows the world preset: monthly under Hydra, daily under the GB licence', async () => {
    expect((await meter()).display.sharing()).toEqual({ preset: 'hydra', setting: 'monthly', effectiveFromUtc: null });
    expect((await meter({ preset: 'gb-licence' })).display.sharing()).toEqual({ preset: 'gb-licence', setting: 'daily', effectiveFromUtc: null });
  });

  it('takes effect at once on what billing sends: daily reads from the next day metered, none after opting back out', async () => {
    const { core, display, fleet, supplier } = await meter();
    fleet.advanceTo('2025-01-05');
    const daily = display.setSharing(signHouseholderDocument(core.state, { kind: 'data-sharing', setting: 'daily' }));
    expect(daily.setting).toBe('daily');
    expect(daily.effectiveFromUtc).toBe(Date.UTC(2025, 0, 5));
    fleet.advanceTo('2025-01-08');
    display.setSharing(signHouseholderDocument(core.state, { kind: 'data-sharing', setting: 'monthly' }));
    fleet.advanceTo('2025-01-10');
    const reads = supplier.collect('billing').filter((item) => item.messageClass === 'consented-reads');
    expect(reads.map((item) => item.body.date)).toEqual(['2025-01-05', '2025-01-06', '2025-01-07']);
    const profile = createHomeProfile(SEED, 0);
    expect(reads[0]!.body).toEqual({ date: '2025-01-05', resolution: 'daily', importWh: simulateHomeDay(profile, '2025-01-05').importWh.reduce((s, x) => s + x, 0), exportWh: 0 });
  });

  it('refuses an unsigned, forged, replayed or mis-addressed choice and changes nothing', async () => {
    const { core, display } = await meter();
    const billing = () => JSON.stringify(core.state.se.registry.applets[appletAidOf('billing')]!.storage);
    const before = billing();
    const genuine = signHouseholderDocument(core.state, { kind: 'data-sharing', setting: 'half-hourly' });
    const attempts: SignedDocument[] = [
      { document: genuine.document, signature: '' },
      forged({ kind: 'data-sharing', meterId: core.state.meterId, setting: 'half-hourly', sequence: 9 }),
      { document: genuine.document.replace('half-hourly', 'daily'), signature: genuine.signature },
      signHouseholderDocument({ ...core.state, meterId: 'w-m0002', householder: { ...core.state.householder } }, { kind: 'data-sharing', setting: 'daily' }),
    ];
    for (const attempt of attempts) {
      expect(() => display.setSharing(attempt)).toThrow(HouseholderError);
      expect(billing()).toBe(before);
    }
    expect(() => display.setSharing({ document: 'not json', signature: genuine.signature })).toThrow(/not JSON/);
    display.setSharing(genuine);
    const applied = billing();
    expect(() => display.setSharing(genuine)).toThrow(/replayed/);
    expect(billing()).toBe(applied);
    expect(display.sharing().setting).toBe('half-hourly');
  });
});

describe('telecare: installed only with consent, deleted on withdrawal', () => {
  const consent = (core: MeterCore, extra: Record<string, number> = {}) => signHouseholderDocument(core.state, { decision: 'consent', service: 'telecare', ...extra });
  const withdrawal = (core: MeterCore) => signHouseholderDocument(core.state, { decision: 'withdraw', service: 'telecare' });

  it('refuses an unsigned or forged consent: nothing loaded, nothing installed, the refusal recorded', async () => {
    const { core, display } = await meter();
    const before = telecareState(core);
    const genuine = consent(core);
    for (const attempt of [{ document: genuine.document, signature: '00'.repeat(64) }, forged({ decision: 'consent', service: 'telecare', meterId: core.state.meterId, sequence: 5 })]) {
      expect(() => display.consentToTelecare(attempt)).toThrow(HouseholderError);
      expect(telecareState(core)).toEqual(before);
      expect(core.state.se.events.at(-1)).toMatchObject({ kind: 'firewall.consent-refused', target: 'telecare' });
    }
    // A withdrawal is not a consent, and a consent for another service is not one for telecare.
    expect(() => display.consentToTelecare(withdrawal(core))).toThrow(/decides withdraw/);
    expect(() => display.consentToTelecare(signHouseholderDocument(core.state, { decision: 'consent', service: 'insights' }))).toThrow(HouseholderError);
    expect(() => display.consentToTelecare(consent(core, { learningWeeks: 9 }))).toThrow(/learningWeeks/);
    expect(display.telecare()).toEqual({ installed: false, version: null });
    expect(telecareState(core)).toEqual(before);
  });

  it('installs the DAP-verified package into the telecare domain with the activity privilege only, already holding the consent', async () => {
    const { core, display, fleet } = await meter();
    expect(display.consentToTelecare(consent(core, { learningWeeks: 2 }))).toEqual({ installed: true, version: '1.1.2' });
    const applet = core.state.se.registry.applets[appletAidOf('telecare')]!;
    expect(applet).toMatchObject({ sdAid: hydraAid('sd', 'telecare'), privileges: ['activity'], lifecycle: 'SELECTABLE' });
    expect(applet.storage).toMatchObject({ consent: true, learningWeeks: 2, householderKey: core.state.householder.publicKey, meterId: core.state.meterId });
    expect(core.state.se.registry.loadFiles[hydraAid('elf', 'telecare')]?.hash).toBe(appletSourceHash(CATALOG.applets.find((a) => a.id === 'telecare')!.source));
    // It learns from occupant activity (the only part of the feed it is given).
    fleet.advanceTo('2025-01-08');
    const reference = core.state.se.registry.applets[appletAidOf('telecare')]!.storage.reference as { slots: number[] }[];
    expect(reference.length).toBeGreaterThan(0);
    expect(() => display.consentToTelecare(consent(core))).toThrow(/already installed/);
  });

  it('refuses a package whose DAP does not verify, even with a valid consent', async () => {
    const entry = CATALOG.applets.find((a) => a.id === 'telecare')!;
    const badSignature = bytesToHex(signAppletSource(entry.source, generateKeyPair(random).privateKey));
    const catalog = { ...CATALOG, applets: CATALOG.applets.map((a) => (a.id === 'telecare' ? { ...a, signature: badSignature } : a)) };
    const { core, display } = await meter({ catalog });
    const before = telecareState(core);
    expect(() => display.consentToTelecare(consent(core))).toThrow(HouseholderError);
    expect(telecareState(core)).toEqual(before);
    expect(core.state.se.events.some((e) => e.kind === 'dap.refused')).toBe(true);
  });

  it('revoking deletes the applet and package, wipes its storage and ends the telecare domain\'s sessions; a replayed consent is refused', async () => {
    const { core, display, fleet } = await meter();
    const first = consent(core);
    display.consentToTelecare(first);
    fleet.advanceTo('2025-01-10');
    expect(core.state.se.registry.applets[appletAidOf('telecare')]!.storage.reference).toBeDefined();
    // The provider has a session open with its domain, and reads the (empty) outbox.
    const provider = new PartyHost(core, 'telecare');
    expect(provider.collect('telecare')).toEqual([]);
    expect(core.state.se.channels.telecare?.session).not.toBeNull();

    // An unsigned withdrawal changes nothing.
    const genuine = withdrawal(core);
    expect(() => display.revokeTelecare({ document: genuine.document, signature: '11'.repeat(64) })).toThrow(HouseholderError);
    expect(display.telecare().installed).toBe(true);

    expect(display.revokeTelecare(genuine)).toEqual({ installed: false, version: null });
    // Applet removed, package removed.
    expect(core.state.se.registry.applets[appletAidOf('telecare')]).toBeUndefined();
    expect(core.state.se.registry.loadFiles[hydraAid('elf', 'telecare')]).toBeUndefined();
    // Storage wiped: nothing it learned remains anywhere in the card's state.
    const serialized = JSON.stringify(core.state.se);
    expect(serialized).not.toContain('"reference"');
    expect(serialized).not.toContain('"learningWeeks"');
    // Keys destroyed: the session opened with the telecare domain's keys is gone on the card, so the
    // provider's next wrapped command is refused.
    expect(core.state.se.channels.telecare?.session ?? null).toBeNull();
    expect(() => provider.collect('telecare')).toThrow();
    expect(core.state.se.events.some((e) => e.kind === 'management.withdrawn')).toBe(true);

    // The old consent cannot be replayed to bring it back; a new consent installs a fresh applet.
    expect(() => display.consentToTelecare(first)).toThrow(/replayed/);
    display.consentToTelecare(consent(core));
    expect(core.state.se.registry.applets[appletAidOf('telecare')]!.storage.reference).toBeUndefined();
    // A replayed withdrawal is refused too.
    expect(() => display.revokeTelecare(genuine)).toThrow(/replayed/);
    expect(display.telecare().installed).toBe(true);
  });
});
