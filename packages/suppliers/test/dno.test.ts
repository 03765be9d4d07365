// The DNO's backend end to end in one process: the real relay, the real comms hub, and meters
// whose DNO security domain is played by the card-side @hydra/globalplatform functions, hosting the
// published power-quality, aggregation and load-control applets. What the DNO sends (SCP11b set-up,
// SELECT + COLLECT per applet, `personalise { dnoKey }`, signed `load-control` commands) and what it
// keeps (events, shares → recovered feeder load, acknowledgements) are checked against what the
// meters did; bad input is refused with a clear error and changes nothing.
import { londonMidnight } from '@hydra/db';
import { createTestDatabase, type TestDatabase } from '@hydra/db/testing';
import { decodeEnvelope } from '@hydra/dcc';
import { bytesToHex, bytesToUtf8, generateKeyPair, hexToBytes, signMessage, utf8ToBytes, verifyMessage, type Json } from '@hydra/globalplatform';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canonicalJson, createCampaign, distributeRosters, enrolDnoMeter, ensureDnoCollectsArmed, listCampaigns, listFeeders, listPowerQualityEvents, loadCommandKey, openKey, PartyError } from '../src/index';
import { sendDnoCommand } from '../src/dno/send-command';
import { createLab, random, type Lab } from './support/lab';
import { addDays, metrologyDay } from './support/metrology';

const worldId = 'dno-test';
const startDate = '2025-01-06';
const day1 = startDate;
const day2 = addDays(startDate, 1);
// Six homes on feeder f1 (reports), two on f2 (under 5: reports nothing).
const homes = [...Array.from({ length: 6 }, () => ({ feederId: 'dno-test-f1' })), { feederId: 'dno-test-f2' }, { feederId: 'dno-test-f2' }];
const importOf = (meter: number, period: number) => 100 + 37 * meter + ((period * 13) % 50);

async function refusal(run: Promise<unknown>): Promise<string> {
  try {
    await run;
  } catch (error) {
    if (error instanceof PartyError) return `${error.code}: ${error.message}`;
    throw error;
  }
  throw new Error('expected a refusal');
}

describe('DNO backend through the relay', () => {
  let database: TestDatabase;
  let lab: Lab;
  const clock = londonMidnight(startDate).getTime();
  const f1 = () => lab.meters.slice(0, 6);
  const dnoTablesText = async () => {
    const db = database.db.client;
    const rows = await Promise.all([db.dnoMeter.findMany(), db.dnoAggregationKey.findMany(), db.dnoFeederRoster.findMany(), db.dnoFeederShare.findMany(), db.dnoFeederLoad.findMany(), db.dnoReceipt.findMany()]);
    return JSON.stringify(rows, (_key, value: unknown) => (value instanceof Uint8Array ? bytesToHex(value) : value));
  };
  const tables = async () => {
    const db = database.db.client;
    return JSON.stringify(await Promise.all([db.dnoCampaign.count(), db.dnoCampaignTarget.count(), db.dnoPowerQualityEvent.count(), db.dnoFeederShare.count(), db.dnoFeederLoad.count(), db.dnoReceipt.count(), db.dccMessage.count()]));
  };

  beforeAll(async () => {
    database = await createTestDatabase();
    lab = await createLab({ db: database.db.client, worldId, startDate, homes, parties: ['dno'], applets: ['power-quality', 'aggregation', 'load-control'], now: () => clock });
  });
  afterAll(async () => database?.dispose());

  it('on the relay’s announcement, opens SCP11b to its own domain, gives load-control and aggregation its command key, asks aggregation for its key, and collects each applet in turn', async () => {
    const stored = await database.db.client.dnoMeter.findMany({ orderBy: { meterId: 'asc' } });
    expect(stored.map((m) => m.feederId)).toEqual(homes.map((h) => h.feederId));
    await lab.wake();
    const seen = lab.meters[0]?.seen ?? [];
    expect(seen.slice(0, 3)).toEqual(['dno plain a4', 'dno plain ca', 'dno plain 88']);
    // SELECT + command per applet, one command in flight at a time (twelve round trips per wake).
    expect(seen.slice(3)).toEqual([
      'dno secured a4',
      'dno secured d0 aggregation',
      'dno secured d0 aggregation',
      'dno secured a4',
      'dno secured d0 load-control',
      // The feeder's roster, ahead of the standing collects, once the last member's key is in.
      'dno secured a4',
      'dno secured d0 aggregation',
      'dno secured a4',
      'dno secured c0 power-quality',
    ]);
    const key = bytesToHex((await loadCommandKey(lab.dno)).publicKey);
    for (const meter of lab.meters) {
      expect(meter.applet('load-control').storage.get('dnoKey')).toBe(key);
      expect(meter.applet('aggregation').storage.get('dnoKey')).toBe(key);
    }
    expect((await database.db.client.dnoMeter.findMany()).every((m) => m.commandKey === 'applied')).toBe(true);
    // Each meter's aggregation key was generated on the card; the DNO holds its public half only.
    const keys = await database.db.client.dnoAggregationKey.findMany({ orderBy: { meterId: 'asc' } });
    expect(keys.map((k) => [k.meterId, k.dnoKey, bytesToHex(k.publicKey ?? new Uint8Array())])).toEqual(lab.meters.map((m) => [m.state.meterId, 'applied', m.applet('aggregation').storage.get('publicKey')]));
    expect(JSON.stringify(keys)).not.toContain(String(lab.meters[0]?.applet('aggregation').storage.get('privateKey')));
  });

  it('signs the feeder’s roster once every member’s key is in and sends it to each; each meter computes its pair secrets itself; a feeder under 5 gets none', async () => {
    const [roster] = await database.db.client.dnoFeederRoster.findMany();
    expect(await database.db.client.dnoFeederRoster.count()).toBe(1);
    if (!roster) throw new Error('no roster');
    const document = JSON.parse(roster.document) as { feederId: string; sequence: number; members: { meterId: string; publicKey: string }[] };
    expect(roster.document).toBe(canonicalJson(document));
    expect(document).toEqual({ feederId: 'dno-test-f1', sequence: roster.sequence, members: f1().map((m) => ({ meterId: m.state.meterId, publicKey: m.applet('aggregation').storage.get('publicKey') })) });
    expect(verifyMessage(Uint8Array.from(roster.signature), utf8ToBytes(roster.document), (await loadCommandKey(lab.dno)).publicKey)).toBe(true);
    await lab.wake();
    for (const [i, meter] of f1().entries()) {
      const membership = meter.applet('aggregation').storage.get('membership') as { feederId: string; peers: { meterId: string; secret: string }[] };
      expect(membership.feederId).toBe('dno-test-f1');
      expect(membership.peers.map((p) => p.meterId)).toEqual(f1().filter((_, j) => j !== i).map((m) => m.state.meterId));
      // Pairwise: both ends of a pair hold the same secret, which appears nowhere in the DNO's tables.
      const peer = f1()[(i + 1) % 6];
      const mine = membership.peers.find((p) => p.meterId === peer?.state.meterId)?.secret;
      const theirs = (peer?.applet('aggregation').storage.get('membership') as typeof membership).peers.find((p) => p.meterId === meter.state.meterId)?.secret;
      expect(mine).toMatch(/^[0-9a-f]{64}$/);
      expect(theirs).toBe(mine);
      expect(await dnoTablesText()).not.toContain(mine);
    }
    expect((await database.db.client.dnoAggregationKey.findMany({ where: { feederId: 'dno-test-f1' } })).map((k) => [k.rosterSequence, k.rosterRefusal])).toEqual(Array(6).fill([roster.sequence, null]));
    for (const meter of lab.meters.slice(6)) expect(meter.applet('aggregation').storage.get('membership')).toBeUndefined();
    // Nothing changed: no second roster.
    expect(await distributeRosters(lab.dno, worldId)).toBe(0);
    // Each applet's collect is re-armed and waits at the relay for the next wake.
    const pending = await lab.relay.pendingDownlinks(worldId, [lab.meters[0]?.state.meterId ?? '']);
    expect(pending.map((p) => decodeEnvelope(p.envelope).header)).toEqual([expect.objectContaining({ partyId: 'dno', messageClass: 'collect' })]);
  });

  it('stores power-quality events as the applet reported them: type, start, duration, extreme voltage', async () => {
    const dayStart = londonMidnight(day1).getTime();
    const sagAt = dayStart + 7 * 3_600_000;
    lab.meters[2]?.feed(metrologyDay(day1, { importWh: (t) => importOf(2, t), voltageExcursions: [{ startUtc: sagAt, durationSeconds: 42, extremeV: 198.44 }, { startUtc: sagAt + 3_600_000, durationSeconds: 3, extremeV: 262.06 }] }));
    for (const [i, meter] of lab.meters.entries()) if (i !== 2) meter.feed(metrologyDay(day1, { importWh: (t) => importOf(i, t), voltageExcursions: [] }));
    await lab.wake();
    const events = await listPowerQualityEvents({ context: lab.dno, worldId });
    expect(events).toEqual([
      { meterId: `${worldId}-m0003`, feederId: 'dno-test-f1', type: 'swell', start: new Date(sagAt + 3_600_000).toISOString(), durationSeconds: 3, extremeV: 262.1 },
      { meterId: `${worldId}-m0003`, feederId: 'dno-test-f1', type: 'sag', start: new Date(sagAt).toISOString(), durationSeconds: 42, extremeV: 198.4 },
    ]);
    const row = await database.db.client.dnoPowerQualityEvent.findFirstOrThrow();
    expect(Object.keys(row).sort()).toEqual(['durationSeconds', 'extremeDeciV', 'feederId', 'id', 'meterId', 'receivedAt', 'start', 'type', 'worldId']);
  });

  it('recovers the feeder’s exact half-hourly load from masked shares, none of which is a home’s reading; a small feeder reports nothing', async () => {
    const overview = await listFeeders({ context: lab.dno, worldId });
    expect(overview.feeders).toEqual([
      { feederId: 'dno-test-f1', homes: 6, dnoMeters: 6, reports: true, daysRecovered: 1 },
      { feederId: 'dno-test-f2', homes: 2, dnoMeters: 2, reports: false, daysRecovered: 0 },
    ]);
    expect(overview.date).toBe(day1);
    const truth = Array.from({ length: 48 }, (_, t) => [0, 1, 2, 3, 4, 5].reduce((sum, m) => sum + importOf(m, t), 0));
    expect(overview.loads.map((p) => p.totalWh)).toEqual(truth);
    expect(overview.loads.every((p) => p.feederId === 'dno-test-f1' && p.reported === 6 && p.expected === 6)).toBe(true);
    expect(overview.loads[0]?.start).toBe(new Date(londonMidnight(day1).getTime()).toISOString());
    // What the DNO holds of one home is a masked share: not its reading in any half hour.
    const share = await database.db.client.dnoFeederShare.findUniqueOrThrow({ where: { meterId_date: { meterId: `${worldId}-m0001`, date: day1 } } });
    const values = JSON.parse(share.shares) as number[];
    expect(values).toHaveLength(48);
    expect(values.filter((v, t) => v === importOf(0, t))).toEqual([]);
    expect(await database.db.client.dnoFeederShare.count({ where: { feederId: 'dno-test-f2' } })).toBe(0);
  });

  it('reports a half hour with a missing meter as incomplete — never a wrong number — and completes it when the share arrives', async () => {
    for (const [i, meter] of f1().entries()) if (i !== 4) meter.feed(metrologyDay(day2, { importWh: (t) => importOf(i, t) }));
    await lab.wake();
    let day = await listFeeders({ context: lab.dno, worldId, date: day2 });
    expect(day.loads).toHaveLength(48);
    expect(day.loads.every((p) => p.totalWh === null && p.reported === 5 && p.expected === 6)).toBe(true);
    f1()[4]?.feed(metrologyDay(day2, { importWh: (t) => importOf(4, t) }));
    await lab.wake();
    day = await listFeeders({ context: lab.dno, worldId, date: day2 });
    expect(day.loads.map((p) => p.totalWh)).toEqual(Array.from({ length: 48 }, (_, t) => [0, 1, 2, 3, 4, 5].reduce((sum, m) => sum + importOf(m, t), 0)));
    expect(day.dates).toEqual([day2, day1]);
  });

  it('re-signs the roster with a higher sequence when a member’s card is replaced, and every member applies it; the feeder load stays exact', async () => {
    const db = database.db.client;
    const first = await db.dnoFeederRoster.findFirstOrThrow();
    const meter = f1()[3];
    if (!meter) throw new Error('no meter');
    // A replacement card: a fresh aggregation applet (factory-personalised with the meter id only) and new domain keys announced.
    const applet = meter.applet('aggregation');
    for (const key of [...applet.storage.keys()]) if (key !== 'meterId') applet.storage.delete(key);
    const dnoMeter = await db.dnoMeter.findUniqueOrThrow({ where: { meterId: meter.state.meterId } });
    await enrolDnoMeter({ context: lab.dno, worldId, meterId: meter.state.meterId, aid: dnoMeter.aid, domainPublicKey: bytesToHex(generateKeyPair(random).publicKey) });
    expect((await db.dnoAggregationKey.findUniqueOrThrow({ where: { meterId: meter.state.meterId } })).publicKey).toBeNull();
    await lab.wake(2);
    const rosters = await db.dnoFeederRoster.findMany({ orderBy: { sequence: 'asc' } });
    expect(rosters).toHaveLength(2);
    const second = rosters[1];
    if (!second) throw new Error('no second roster');
    expect(second.sequence).toBeGreaterThan(first.sequence);
    expect((JSON.parse(second.document) as { members: { meterId: string; publicKey: string }[] }).members.find((m) => m.meterId === meter.state.meterId)?.publicKey).toBe(applet.storage.get('publicKey'));
    expect((await db.dnoAggregationKey.findMany({ where: { feederId: 'dno-test-f1' } })).map((k) => k.rosterSequence)).toEqual(Array(6).fill(second.sequence));
    const day3 = addDays(startDate, 2);
    for (const [i, m] of f1().entries()) m.feed(metrologyDay(day3, { importWh: (t) => importOf(i, t) }));
    await lab.wake();
    const day = await listFeeders({ context: lab.dno, worldId, date: day3 });
    expect(day.loads.map((p) => p.totalWh)).toEqual(Array.from({ length: 48 }, (_, t) => [0, 1, 2, 3, 4, 5].reduce((sum, m) => sum + importOf(m, t), 0)));
  });

  it('records a roster the meter refuses — one not signed by its DNO key — and the meter keeps the roster it had', async () => {
    const db = database.db.client;
    const meter = f1()[0];
    if (!meter) throw new Error('no meter');
    const before = meter.applet('aggregation').storage.get('membership');
    const last = await db.dnoFeederRoster.findFirstOrThrow({ orderBy: { sequence: 'desc' } });
    const forged = { ...(JSON.parse(last.document) as Record<string, Json>), sequence: last.sequence + 1 };
    const signature = bytesToHex(signMessage(utf8ToBytes(canonicalJson(forged)), generateKeyPair(random).privateKey));
    await sendDnoCommand({ context: lab.dno, meterId: meter.state.meterId, appletId: 'aggregation', name: 'roster', body: { roster: forged, signature }, messageClass: 'applet-command' });
    await lab.wake(2);
    expect(await db.dnoAggregationKey.findUniqueOrThrow({ where: { meterId: meter.state.meterId } })).toMatchObject({ rosterSequence: last.sequence, rosterRefusal: `roster ${last.sequence + 1} refused by the meter (status 6982)` });
    expect(meter.applet('aggregation').storage.get('membership')).toEqual(before);
  });

  it('signs a campaign with its sealed command key and pushes it; each meter applies it with its own randomised start and acknowledges', async () => {
    const start = londonMidnight(day2).getTime() + 17 * 3_600_000;
    const campaign = await createCampaign({ context: lab.dno, request: { worldId, device: 'ev', action: 'limit', limitKw: 3.6, start: new Date(start).toISOString(), durationSeconds: 7200, randomisationSeconds: 600, feederId: 'dno-test-f1' } });
    expect(campaign.targets.map((t) => t.state)).toEqual(Array(6).fill('queued'));
    const row = await database.db.client.dnoCampaign.findUniqueOrThrow({ where: { id: campaign.campaignId } });
    const document = JSON.parse(row.document) as Record<string, unknown>;
    expect(row.document).toBe(canonicalJson(document));
    expect(document).toEqual({ commandId: campaign.campaignId, sequence: row.sequence, device: 'ev', action: 'limit', limitKw: 3.6, start, durationSeconds: 7200, randomisationSeconds: 600 });
    const key = await loadCommandKey(lab.dno);
    expect(verifyMessage(Uint8Array.from(row.signature), utf8ToBytes(row.document), key.publicKey)).toBe(true);
    await lab.wake();
    const [after] = await listCampaigns({ context: lab.dno, worldId, campaignId: campaign.campaignId });
    expect(after?.counts).toEqual({ queued: 0, applied: 6, refused: 0 });
    for (const [i, target] of (after?.targets ?? []).entries()) {
      const appliedStart = Date.parse(target.appliedStart ?? '');
      expect(appliedStart).toBeGreaterThanOrEqual(start);
      expect(appliedStart).toBeLessThanOrEqual(start + 600_000);
      expect(Date.parse(target.appliedEnd ?? '') - appliedStart).toBe(7_200_000);
      // The meter's actuator holds the same window the DNO recorded.
      expect(f1()[i]?.applet('load-control').windows.get(campaign.campaignId)).toEqual({ commandId: campaign.campaignId, device: 'ev', fromUtc: appliedStart, toUtc: appliedStart + 7_200_000, limitKw: 3.6 });
    }
    // The other feeder's meters got nothing.
    expect(lab.meters[6]?.applet('load-control').windows.size).toBe(0);
    // The same acks arrive again from the applet's outbox at the next collect: nothing changes.
    const before = JSON.stringify(await listCampaigns({ context: lab.dno, worldId }));
    await lab.wake();
    expect(JSON.stringify(await listCampaigns({ context: lab.dno, worldId }))).toBe(before);
  });

  it('sends two campaigns queued before the meter wakes in the order they were signed: the card applies both', async () => {
    const first = londonMidnight(day2).getTime() + 18 * 3_600_000;
    const a = await createCampaign({ context: lab.dno, request: { worldId, device: 'heat-pump', action: 'off', limitKw: 0, start: new Date(first).toISOString(), durationSeconds: 900, randomisationSeconds: 60, meterIds: [`${worldId}-m0002`] } });
    const b = await createCampaign({ context: lab.dno, request: { worldId, device: 'ev', action: 'off', limitKw: 0, start: new Date(first + 3_600_000).toISOString(), durationSeconds: 900, randomisationSeconds: 60, meterIds: [`${worldId}-m0002`] } });
    await lab.wake();
    for (const campaign of [a, b]) {
      const [after] = await listCampaigns({ context: lab.dno, worldId, campaignId: campaign.campaignId });
      expect(after?.counts, campaign.campaignId).toEqual({ queued: 0, applied: 1, refused: 0 });
      expect(lab.meters[1]?.applet('load-control').windows.has(campaign.campaignId)).toBe(true);
    }
  });

  it('refuses malformed campaigns with the field and reason, storing and sending nothing', async () => {
    const at = new Date(londonMidnight(day2).getTime() + 20 * 3_600_000).toISOString();
    const good = { worldId, device: 'heat-pump', action: 'off', limitKw: 0, start: at, durationSeconds: 600, randomisationSeconds: 300, meterIds: [`${worldId}-m0001`] };
    const before = await tables();
    expect(await refusal(createCampaign({ context: lab.dno, request: { ...good, randomisationSeconds: 601 } }))).toMatch(/^INVALID_REQUEST: randomisationSeconds: expected at most 600 s/);
    expect(await refusal(createCampaign({ context: lab.dno, request: { ...good, limitKw: 2 } }))).toMatch(/^INVALID_REQUEST: limitKw: expected 0 with action 'off'/);
    expect(await refusal(createCampaign({ context: lab.dno, request: { ...good, action: 'limit' } }))).toMatch(/^INVALID_REQUEST: limitKw: expected more than 0 kW/);
    expect(await refusal(createCampaign({ context: lab.dno, request: { ...good, device: 'kettle' } }))).toMatch(/^INVALID_REQUEST: device: expected 'ev' or 'heat-pump'/);
    expect(await refusal(createCampaign({ context: lab.dno, request: { ...good, durationSeconds: 59 } }))).toMatch(/^INVALID_REQUEST: durationSeconds: expected at least 60 s/);
    expect(await refusal(createCampaign({ context: lab.dno, request: { ...good, start: 'tomorrow' } }))).toMatch(/^INVALID_REQUEST: start: expected a UTC date and time/);
    expect(await refusal(createCampaign({ context: lab.dno, request: { ...good, start: '2024-12-01T00:00:00Z' } }))).toMatch(/^INVALID_REQUEST: start: the window would be over before the world clock/);
    expect(await refusal(createCampaign({ context: lab.dno, request: { ...good, meterIds: ['dno-test-m0099'] } }))).toMatch(/^INVALID_REQUEST: meterIds: dno-test-m0099 is not a DNO meter/);
    expect(await refusal(createCampaign({ context: lab.dno, request: { ...good, feederId: 'dno-test-f1' } }))).toMatch(/^INVALID_REQUEST: feederId: expected either a feeder or a list of meters/);
    expect(await refusal(createCampaign({ context: lab.dno, request: { ...good, feederId: 'nowhere', meterIds: undefined } }))).toMatch(/^INVALID_REQUEST: feederId: no DNO meter on feeder nowhere/);
    expect(await refusal(createCampaign({ context: lab.dno, request: { ...good, extra: 1 } }))).toMatch(/^INVALID_REQUEST/);
    expect(await refusal(createCampaign({ context: lab.dno, request: 'garbage' }))).toMatch(/^INVALID_REQUEST/);
    expect(await tables()).toBe(before);
  });

  it('records a meter’s refusal: a card that holds another command key refuses the signature, and its reason arrives in the applet’s ack', async () => {
    // Meter 8 (feeder f2) was re-manufactured with a load-control applet already holding a rogue key.
    const meter = lab.meters[7];
    if (!meter) throw new Error('no meter');
    meter.applet('load-control').storage.set('dnoKey', bytesToHex(generateKeyPair(random).publicKey));
    const start = londonMidnight(day2).getTime() + 18 * 3_600_000;
    const campaign = await createCampaign({ context: lab.dno, request: { worldId, device: 'heat-pump', action: 'off', limitKw: 0, start: new Date(start).toISOString(), durationSeconds: 1800, randomisationSeconds: 0, meterIds: [meter.state.meterId] } });
    const sent = meter.seen.filter((s) => s.includes('d0 load-control')).length;
    await lab.wake(3);
    // A bare 6982 is first taken for a lost session (re-open), then, to the re-sent command, as the
    // applet's refusal — not re-opened again — and the reason follows in the applet's own ack.
    expect(meter.seen.filter((s) => s.includes('d0 load-control')).length - sent).toBe(2);
    const [view] = await listCampaigns({ context: lab.dno, worldId, campaignId: campaign.campaignId });
    expect(view?.targets[0]).toMatchObject({ state: 'refused', appliedStart: null, reason: 'signature: not signed by the DNO command key' });
    expect(meter.applet('load-control').windows.size).toBe(0);
  });

  it('keeps its command key and sessions sealed under its KEK: another party’s KEK opens none of them', async () => {
    const key = await database.db.client.dnoKey.findUniqueOrThrow({ where: { id: 'dno-command-1' } });
    expect(() => openKey(lab.supplier.kek, key.id, Uint8Array.from(key.sealedKey))).toThrow();
    expect(bytesToHex(openKey(lab.dno.kek, key.id, Uint8Array.from(key.sealedKey)))).toBe(bytesToHex((await loadCommandKey(lab.dno)).privateKey));
    for (const row of await database.db.client.dnoSession.findMany()) {
      expect(() => openKey(lab.telecare.kek, `dno-session|${row.meterId}`, Uint8Array.from(row.sealedState))).toThrow();
      expect(JSON.parse(bytesToUtf8(openKey(lab.dno.kek, `dno-session|${row.meterId}`, Uint8Array.from(row.sealedState)))).phase).toBe('open');
    }
  });

  it('re-arms what a crash lost: a meter with no collect pending gets one for each applet again', async () => {
    const meterId = `${worldId}-m0001`;
    const meter = await database.db.client.dnoMeter.findUniqueOrThrow({ where: { meterId } });
    await database.db.client.dnoSession.delete({ where: { meterId } });
    expect(await ensureDnoCollectsArmed(lab.dno, worldId)).toBe(3);
    expect(await ensureDnoCollectsArmed(lab.dno, worldId)).toBe(0);
    const pending = await lab.relay.pendingDownlinks(worldId, [meter.meterId]);
    expect(pending.map((p) => decodeEnvelope(p.envelope).header.messageClass)).toContain('session-setup');
    expect(hexToBytes(meter.aid).length).toBe(9);
  });

  it('refuses uplinks that are not its own or fail authentication, and changes nothing', async () => {
    const { receiveDnoUplink } = await import('../src/index');
    const { encodeEnvelope, frameApdu, unframeApdu } = await import('@hydra/dcc');
    const meter = lab.meters[1];
    if (!meter) throw new Error('no meter');
    const receipts = new Set((await database.db.client.dnoReceipt.findMany()).map((r) => r.messageId));
    const taken = lab.captured.filter((c) => c.direction === 'uplink' && receipts.has(decodeEnvelope(c.bytes).header.messageId)).at(-1);
    if (!taken) throw new Error('no uplink the DNO took');
    // The meter answers the DNO's next command; the answer is then tampered with, misrouted, replayed.
    const [next] = await lab.relay.pendingDownlinks(worldId, [meter.state.meterId]);
    if (!next) throw new Error('nothing pending');
    const header = meter.handleDownlink({ header: decodeEnvelope(next.envelope).header, sealed: unframeApdu(decodeEnvelope(next.envelope).payload) });
    const pendingUplink = meter.state.pendingUplinks.find((u) => u.header.messageId === header?.messageId);
    if (!header || !pendingUplink) throw new Error('no answer');
    const { base64UrlToBytes } = await import('@hydra/globalplatform');
    const answer = base64UrlToBytes(pendingUplink.sealed);
    const flipped = answer.slice();
    flipped[0] = (flipped[0] ?? 0) ^ 1;
    const sign = (bytes: Uint8Array) => meter.sign(bytes);
    const before = await tables();
    expect(await refusal(receiveDnoUplink({ context: lab.dno, envelope: random(200) }))).toMatch(/^MALFORMED/);
    expect(await refusal(receiveDnoUplink({ context: lab.dno, envelope: encodeEnvelope({ ...header, partyId: 'supplier' }, frameApdu(answer), sign) }))).toMatch(/^MISROUTED: inbox: this envelope is for supplier/);
    if (answer.length > 2) expect(await refusal(receiveDnoUplink({ context: lab.dno, envelope: encodeEnvelope(header, frameApdu(flipped), sign) }))).toMatch(/^AUTHENTICATION_FAILED/);
    expect(await refusal(receiveDnoUplink({ context: lab.dno, envelope: encodeEnvelope({ ...header, correlationId: bytesToHex(random(16)) }, frameApdu(answer), sign) }))).toMatch(/^REPLAYED: inbox: party session/);
    expect(await refusal(receiveDnoUplink({ context: lab.dno, envelope: encodeEnvelope({ ...header, meterId: 'dno-test-m0099' }, frameApdu(answer), sign) }))).toMatch(/^UNKNOWN_METER/);
    // Already taken: a byte-identical redelivery is "already delivered"; the same id with other bytes is refused.
    expect(await receiveDnoUplink({ context: lab.dno, envelope: taken.bytes })).toEqual({ status: 'already-delivered', events: 0, shares: 0, acks: 0 });
    const takenHeader = decodeEnvelope(taken.bytes).header;
    expect(await refusal(receiveDnoUplink({ context: lab.dno, envelope: encodeEnvelope(takenHeader, frameApdu(flipped), sign) }))).toMatch(/^REPLAYED: inbox: message .* already received with other bytes/);
    expect(await tables()).toBe(before);
    // The genuine answer is still taken afterwards.
    expect((await receiveDnoUplink({ context: lab.dno, envelope: encodeEnvelope(header, frameApdu(answer), sign) })).status).toBe('accepted');
  });
});
