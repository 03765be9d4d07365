// A meter with every factory applet, through the meter core: manufacture (DAP-verified LOAD /
// INSTALL, personalisation), the feed split by privilege, the DNO's load control feeding back
// into the home's demand, the feeder roster and recovered feeder totals through each card's own
// channel, and billing unchanged.
import { describe, expect, it } from 'vitest';
import { addDays, datesBetween, londonDay } from '../../src/calendar';
import { recoverFeederTotals } from '../../src/aggregation/recover-feeder';
import { createHomeProfile, simulateHomeDay, type HomeDay, type HomeProfile } from '../../src/home/index';
import { createMemoryStateStore, FACTORY_APPLETS, MeterFleet, SECURITY_DOMAINS, type FleetOptions } from '../../src/host/fleet';
import { appletAidOf, type MeterCore } from '../../src/meter/meter-core';
import { hydraAid } from '../../src/secure-element/registry';
import { compile, secureRandom as random } from '../secure-element/fixture';
import { CA, CATALOG, certify, householderSign, partySigner, PartyHost } from './party-host';

const SEED = 'every-applet';
const TARIFF = { id: 'flat-1', kind: 'flat', unitRate: 24_500, standingCharge: 60_990 };

async function openFleet(homeIndices: number[], seed = SEED, onMetered?: FleetOptions['onMetered']) {
  const fleet = await MeterFleet.open({ worldId: 'w', seed, startDate: '2025-01-01', homeIndices, catalog: CATALOG, ca: CA, compile, random, store: createMemoryStateStore(), ...(onMetered ? { onMetered } : {}) });
  for (const core of fleet.meters()) certify(core);
  return fleet;
}

/** Commissions a meter: the supplier's tariff, through the supplier's own channel. */
function commission(core: MeterCore): PartyHost {
  const supplier = new PartyHost(core, 'supplier');
  expect(supplier.command('billing', 'set-tariff', { tariff: TARIFF }, 'set-tariff').sw).toBe(0x9000);
  return supplier;
}

describe('manufacture: every factory applet in its own domain', () => {
  it('loads, installs and personalises billing, power-quality, load-control, aggregation and insights; telecare waits for consent', async () => {
    const fleet = await openFleet([0, 1]);
    const [a, b] = fleet.meters();
    const registry = a!.state.se.registry;
    const installed = Object.fromEntries(Object.values(registry.applets).map((applet) => [applet.appletId, { sd: applet.sdAid, privileges: applet.privileges, lifecycle: applet.lifecycle }]));
    expect(installed).toEqual({
      billing: { sd: hydraAid('sd', 'supplier'), privileges: ['metrology'], lifecycle: 'SELECTABLE' },
      'power-quality': { sd: hydraAid('sd', 'dno'), privileges: ['voltage'], lifecycle: 'SELECTABLE' },
      'load-control': { sd: hydraAid('sd', 'dno'), privileges: [], lifecycle: 'SELECTABLE' },
      aggregation: { sd: hydraAid('sd', 'dno'), privileges: ['metrology'], lifecycle: 'SELECTABLE' },
      insights: { sd: hydraAid('sd', 'householder'), privileges: ['metrology'], lifecycle: 'SELECTABLE' },
    });
    expect(FACTORY_APPLETS.map((applet) => applet.appletId)).not.toContain('telecare');
    // Personalised at the factory: the billing applet checks householder consent against this meter's householder key.
    const billing = registry.applets[appletAidOf('billing')]!.storage;
    expect(billing).toMatchObject({ meterId: 'w-m0001', householderKey: a!.state.householder.publicKey, preset: 'hydra' });
    expect(registry.applets[appletAidOf('aggregation')]!.storage).toEqual({ meterId: 'w-m0001' });
    const secretA = registry.applets[appletAidOf('load-control')]!.storage.offsetSecret;
    const secretB = b!.state.se.registry.applets[appletAidOf('load-control')]!.storage.offsetSecret;
    expect(secretA).toMatch(/^[0-9a-f]{64}$/);
    expect(secretA).not.toBe(secretB);
    // The householder's domain is local: not registered with the relay, not certified.
    expect(a!.registration().domains.map((d) => d.partyId)).toEqual(['supplier', 'dno', 'telecare']);
    expect(a!.certified).toBe(true);
    // Each domain may grant only its part of the feed.
    for (const { aid, privileges } of SECURITY_DOMAINS) {
      const domain = registry.domains[aid]!;
      expect(domain.privileges.filter((p) => ['metrology', 'voltage', 'activity'].includes(p))).toEqual(privileges);
    }
  });

  it('keeps applets apart: the DNO cannot select billing, the supplier cannot reach the householder\'s insights', async () => {
    const fleet = await openFleet([0]);
    const core = fleet.meters()[0]!;
    expect(new PartyHost(core, 'dno').secured('billing', { cla: 0x80, ins: 0xc0, p1: 0, p2: 0, data: new Uint8Array(0) }, 'collect').sw).toBe(0x6982);
    expect(new PartyHost(core, 'supplier').secured('insights', { cla: 0x80, ins: 0xc0, p1: 0, p2: 0, data: new Uint8Array(0) }, 'collect').sw).toBe(0x6982);
    expect(core.state.se.events.filter((e) => e.kind === 'firewall.channel-foreign-applet').length).toBe(2);
  });
});

describe('load control: the home follows the DNO', () => {
  /** A home with an EV charging on `date`, and the half hours it charges. */
  function evHome(date: string): { profile: HomeProfile; index: number; charging: number[] } {
    for (let index = 0; index < 200; index++) {
      const profile = createHomeProfile(SEED, index);
      if (!profile.ev) continue;
      const day = simulateHomeDay(profile, date);
      const all = [...day.evWh.keys()].filter((i) => (day.evWh[i] ?? 0) > 500);
      // The first contiguous run of charging half hours.
      const charging = all.filter((i, k) => i - k === all[0]);
      if (charging.length >= 4) return { profile, index, charging };
    }
    throw new Error('no EV home charging that day');
  }

  it('switches the EV off for the signed window on a later day, with a randomised start ≤ 600 s; replays and unsigned commands are refused', async () => {
    const date = '2025-01-09';
    const { profile, index, charging } = evHome(date);
    // What the host is told the meter metered (a conventional host's raw reads).
    const metered = new Map<string, HomeDay>();
    const fleet = await openFleet([index], SEED, (meterId, day) => metered.set(`${meterId}|${day.date}`, day));
    const core = fleet.meters()[0]!;
    const supplier = commission(core);
    // The householder shares half-hourly reads with the supplier (signed on the in-home display).
    const consent = { kind: 'data-sharing', meterId: core.state.meterId, setting: 'half-hourly', sequence: 1 };
    expect(supplier.command('billing', 'set-sharing', { consent, signature: householderSign(core, consent) }).sw).toBe(0x9000);
    const dno = new PartyHost(core, 'dno');
    const key = partySigner();
    expect(dno.command('load-control', 'personalise', { dnoKey: key.publicKeyHex }).sw).toBe(0x9000);
    expect(fleet.advanceTo('2025-01-05')).toBe(4);
    const startUtc = londonDay(date).startUtc + (charging[0] ?? 0) * 1_800_000;
    const durationSeconds = (charging.length + 1) * 1800;
    const command = { commandId: 'dno-001', sequence: 1, device: 'ev', action: 'off', limitKw: 0, start: startUtc, durationSeconds, randomisationSeconds: 600 };
    expect(dno.command('load-control', 'load-control', { command }, 'load-control').sw).toBe(0x6982);
    const applied = dno.command('load-control', 'load-control', { command, signature: key.sign(command) }, 'load-control');
    expect(applied.sw).toBe(0x9000);
    const appliedStart = applied.body.appliedStart as number;
    expect(appliedStart - startUtc).toBeGreaterThanOrEqual(0);
    expect(appliedStart - startUtc).toBeLessThanOrEqual(600_000);
    // Refusals answer a bare status word (GP: no R-MAC'd data on an error); the reason travels in the ack.
    expect(dno.command('load-control', 'load-control', { command, signature: key.sign(command) }, 'load-control').sw).toBe(0x6982);
    expect(core.controls()).toEqual([{ commandId: 'dno-001', device: 'ev', fromUtc: appliedStart, toUtc: appliedStart + durationSeconds * 1000, limitKw: 0 }]);
    // The ack is queued for the DNO's next collect, exactly as the privacy contract defines it.
    const acks = dno.collect('load-control');
    expect(acks.map((item) => item.messageClass)).toEqual(['load-control-ack', 'load-control-ack', 'load-control-ack']);
    expect(acks[0]!.body).toMatchObject({ commandId: 'dno-001', result: 'refused', reason: expect.stringMatching(/signature/) as unknown });
    expect(acks[1]!.body).toEqual({ commandId: 'dno-001', result: 'applied', appliedStart, appliedEnd: appliedStart + durationSeconds * 1000, reason: null });
    expect(acks[2]!.body).toMatchObject({ result: 'refused', reason: expect.stringMatching(/replayed/) as unknown });

    fleet.advanceTo(addDays(date, 2));
    const controlled = simulateHomeDay(profile, date, { controls: [{ device: 'ev', fromUtc: appliedStart, toUtc: appliedStart + durationSeconds * 1000, limitKw: 0 }] });
    const free = simulateHomeDay(profile, date);
    const window = charging.slice(1); // the first half hour may start before the randomised offset
    expect(window.reduce((sum, i) => sum + (controlled.evWh[i] ?? 0), 0)).toBe(0);
    expect(window.reduce((sum, i) => sum + (free.evWh[i] ?? 0), 0)).toBeGreaterThan(1000);
    // The meter metered the controlled day: the half-hourly reads the householder agreed to share
    // (below) are the controlled home's, not the uncontrolled one's.
    const reads = supplier.collect('billing').filter((item) => item.messageClass === 'consented-reads' && item.body.date === date);
    expect(reads.map((item) => item.body.importWh)).toEqual([Array.from(controlled.importWh)]);
    expect(Array.from(controlled.importWh)).not.toEqual(Array.from(free.importWh));
    expect(window.reduce((sum, i) => sum + (controlled.importWh[i] ?? 0), 0)).toBeLessThan(window.reduce((sum, i) => sum + (free.importWh[i] ?? 0), 0));
    // The host hears of every metered day once, as metered: the controlled one.
    expect([...metered.keys()]).toEqual(datesBetween('2025-01-01', addDays(date, 2)).map((d) => `${core.state.meterId}|${d}`));
    expect(Array.from(metered.get(`${core.state.meterId}|${date}`)?.importWh ?? [])).toEqual(Array.from(controlled.importWh));
    // Windows that ended are dropped by the card.
    expect(core.controls()).toEqual([]);
  });
});

describe('aggregation through the cards: keys on the card, a signed roster, feeder totals', () => {
  it('the DNO recovers the feeder import per half hour to the Wh and never holds a pair secret', async () => {
    const profiles = Array.from({ length: 60 }, (_, i) => createHomeProfile(SEED, i));
    const feederId = profiles[0]!.feederId;
    const members = profiles.filter((p) => p.feederId === feederId).slice(0, 6);
    expect(members.length).toBeGreaterThanOrEqual(5);
    const fleet = await openFleet(members.map((p) => p.index));
    const key = partySigner();
    const cores = fleet.meters();
    const hosts = cores.map((core) => {
      commission(core);
      const dno = new PartyHost(core, 'dno');
      expect(dno.command('aggregation', 'personalise', { dnoKey: key.publicKeyHex }).sw).toBe(0x9000);
      return dno;
    });
    const roster = { feederId, sequence: 1, members: hosts.map((dno, i) => ({ meterId: cores[i]!.state.meterId, publicKey: String(dno.command('aggregation', 'public-key').body.publicKey) })) };
    for (const dno of hosts) expect(dno.command('aggregation', 'roster', { roster, signature: key.sign(roster) })).toEqual({ sw: 0x9000, body: { result: 'applied', reason: null } });
    fleet.advanceTo('2025-01-03');
    const shares = new Map(hosts.map((dno, i) => [cores[i]!.state.meterId, dno.collect('aggregation')]));
    for (const [k, date] of datesBetween('2025-01-01', '2025-01-03').entries()) {
      const byMeter = new Map([...shares].map(([meterId, items]) => [meterId, items[k]!.body.shares as number[]]));
      const truth = members.map((p) => simulateHomeDay(p, date)).reduce((sum, day) => sum.map((s, t) => s + (day.importWh[t] ?? 0)), new Array<number>(48).fill(0));
      expect(recoverFeederTotals(byMeter, [...byMeter.keys()])).toEqual(truth);
    }
    // Everything the DNO received: public keys, acks and shares — no secret.
    const secrets = cores.flatMap((core) => (core.state.se.registry.applets[appletAidOf('aggregation')]!.storage.membership as { peers: { secret: string }[] }).peers.map((p) => p.secret));
    const received = JSON.stringify([...shares.values()]) + JSON.stringify(roster);
    for (const secret of secrets) expect(received).not.toContain(secret);
  });
});

describe('billing with every applet active', () => {
  it('bills exactly the independent computation from the home model', async () => {
    const fleet = await openFleet([3]);
    const core = fleet.meters()[0]!;
    const supplier = commission(core);
    fleet.advanceTo('2025-02-01');
    const profile = createHomeProfile(SEED, 3);
    const importWh = datesBetween('2025-01-01', '2025-02-01').reduce((sum, date) => sum + simulateHomeDay(profile, date).importWh.reduce((s, x) => s + x, 0), 0);
    const statements = supplier.collect('billing').filter((item) => item.messageClass === 'bill-statement');
    expect(statements.map((s) => s.body)).toEqual([
      { statementId: '2025-01/flat-1', period: '2025-01', amountPence: Math.floor((importWh * 24_500 + 31 * 60_990 * 1000 + 500_000) / 1_000_000), importWh, exportWh: statements[0]!.body.exportWh },
    ]);
  });
});
