// The telecare provider's backend end to end in one process: the real relay and comms hub, meters
// whose telecare domain is played by the card-side @hydra/globalplatform functions hosting the
// published telecare applet. Nothing flows for a home until its householder consents on the meter
// and the meter's device-signed proof of consent is carried to the relay; then the standing collect
// brings the applet's wellbeing alerts (type, time window), which the operator acknowledges; a
// withdrawal closes the route and destroys the provider's session.
import { londonMidnight } from '@hydra/db';
import { createTestDatabase, type TestDatabase } from '@hydra/db/testing';
import { createConsentProof, decodeEnvelope, encodeEnvelope, RelayError } from '@hydra/dcc';
import { bytesToHex, generateKeyPair, signMessage, utf8ToBytes } from '@hydra/globalplatform';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { acknowledgeAlert, canonicalJson, enrolHome, listAlerts, listHomes, PartyError } from '../src/index';
import { createLab, random, type Lab } from './support/lab';
import { addDays, metrologyDay } from './support/metrology';
import type { SimulatedMeter } from './support/simulated-meter';

const worldId = 'care-test';
const startDate = '2025-01-06';

async function refusal(run: Promise<unknown>): Promise<string> {
  try {
    await run;
  } catch (error) {
    if (error instanceof PartyError || error instanceof RelayError) return `${error.code}: ${error.message}`;
    throw error;
  }
  throw new Error('expected a refusal');
}

/** A day of an ordinary routine: up at 07:00, out and back, evening until 22:00. */
const ordinaryDay = (date: string) => metrologyDay(date, { activity: [{ minute: 420, durationMinutes: 20, watts: 2000 }, { minute: 450, durationMinutes: 15, watts: 800 }, { minute: 1080, durationMinutes: 240, watts: 150 }] });

describe('telecare backend through the relay', () => {
  let database: TestDatabase;
  let lab: Lab;
  let consenting: SimulatedMeter;
  let other: SimulatedMeter;
  const householder = generateKeyPair(random);
  const clock = londonMidnight(startDate).getTime();
  const sign = (document: unknown) => bytesToHex(signMessage(utf8ToBytes(canonicalJson(document)), householder.privateKey));
  const proof = (meter: SimulatedMeter, sequence: number, admitted: boolean) => createConsentProof({ worldId, meterId: meter.state.meterId, partyId: 'telecare', appletId: 'telecare', sequence, admitted }, (bytes) => meter.sign(bytes));
  const tables = async () => {
    const db = database.db.client;
    return JSON.stringify(await Promise.all([db.telecareHome.findMany({ orderBy: { meterId: 'asc' } }), db.telecareAlert.findMany({ orderBy: { id: 'asc' } }), db.telecareReceipt.count(), db.telecareSession.count(), db.dccEnrolment.findMany()]));
  };

  beforeAll(async () => {
    database = await createTestDatabase();
    lab = await createLab({ db: database.db.client, worldId, startDate, homes: [{ feederId: 'f1' }, { feederId: 'f1' }], parties: ['telecare'], applets: ['telecare'], now: () => clock });
    [consenting, other] = lab.meters as [SimulatedMeter, SimulatedMeter];
    // The card manager personalises the applet with the householder's key at install.
    for (const meter of lab.meters) expect(meter.applet('telecare').command('personalise', { householderKey: bytesToHex(householder.publicKey), meterId: meter.state.meterId }).status).toBe(0x9000);
  });
  afterAll(async () => database?.dispose());

  it('knows no home before consent, and the relay refuses its commands to a home that has not consented', async () => {
    expect(await listHomes({ context: lab.telecare, worldId })).toEqual([]);
    const downlink = encodeEnvelope({ messageId: bytesToHex(random(16)), worldId, meterId: consenting.state.meterId, partyId: 'telecare', appletId: 'telecare', messageClass: 'collect', direction: 'downlink' }, random(64));
    expect(await refusal(lab.telecare.relay.postDownlink(downlink))).toMatch(/^CONSENT_REQUIRED: downlink: only the householder's consent admits telecare/);
    await lab.wake();
    expect(consenting.seen).toEqual([]);
  });

  it('refuses something that is not a proof, and a proof the meter did not sign, changing nothing', async () => {
    const before = await tables();
    expect(await refusal(enrolHome({ context: lab.telecare, proof: { statement: 'yes please' } }))).toMatch(/^INVALID_REQUEST: proof\.signature/);
    const forged = createConsentProof({ worldId, meterId: consenting.state.meterId, partyId: 'telecare', appletId: 'telecare', sequence: 1, admitted: true }, (bytes) => signMessage(bytes, generateKeyPair(random).privateKey));
    expect(await refusal(enrolHome({ context: lab.telecare, proof: forged }))).toMatch(/^SIGNATURE_INVALID/);
    expect(await tables()).toBe(before);
  });

  it('enrols the home on the meter’s proof of consent, opens SCP11b to its own domain and collects the telecare applet', async () => {
    // The householder consents on the in-home display; the meter attests it.
    expect(consenting.applet('telecare').command('consent', { consent: { service: 'telecare', meterId: consenting.state.meterId, sequence: 1, learningWeeks: 1 }, signature: sign({ service: 'telecare', meterId: consenting.state.meterId, sequence: 1, learningWeeks: 1 }) }).status).toBe(0x9000);
    expect(await enrolHome({ context: lab.telecare, proof: proof(consenting, 1, true) })).toEqual({ meterId: consenting.state.meterId, state: 'admitted' });
    expect(await listHomes({ context: lab.telecare, worldId })).toEqual([expect.objectContaining({ meterId: consenting.state.meterId, withdrawnAt: null, collectArmed: true, alerts: 0 })]);
    await lab.wake();
    expect(consenting.seen).toEqual(['telecare plain a4', 'telecare plain ca', 'telecare plain 88', 'telecare secured a4', 'telecare secured c0 telecare']);
    expect(other.seen).toEqual([]);
  });

  it('stores a wellbeing alert — type and time window only — when the routine breaks', async () => {
    // A week of ordinary days teaches the routine (learningWeeks 1); then a morning with no activity.
    for (let d = 0; d < 7; d++) consenting.feed(ordinaryDay(addDays(startDate, d)));
    await lab.wake();
    expect(await listAlerts({ context: lab.telecare, worldId })).toEqual([]);
    const quiet = addDays(startDate, 7);
    consenting.feed(metrologyDay(quiet, { activity: [] }));
    await lab.wake();
    const alerts = await listAlerts({ context: lab.telecare, worldId });
    expect(alerts).toEqual([expect.objectContaining({ meterId: consenting.state.meterId, type: 'no-activity-by-deadline', acknowledgedAt: null })]);
    const dayStart = londonMidnight(quiet).getTime();
    expect(Date.parse(alerts[0]?.windowStart ?? '')).toBeGreaterThanOrEqual(dayStart);
    expect(Date.parse(alerts[0]?.windowEnd ?? '')).toBeLessThanOrEqual(dayStart + 10 * 3_600_000);
    const row = await database.db.client.telecareAlert.findFirstOrThrow();
    expect(Object.keys(row).sort()).toEqual(['acknowledgedAt', 'id', 'meterId', 'note', 'receivedAt', 'type', 'windowEnd', 'windowStart', 'worldId']);
    expect((await listHomes({ context: lab.telecare, worldId }))[0]).toMatchObject({ alerts: 1, openAlerts: 1, collectArmed: true });
  });

  it('lets the operator acknowledge an alert once, with a note; refuses unknown, repeated and malformed acknowledgements', async () => {
    const [alert] = await listAlerts({ context: lab.telecare, worldId });
    if (!alert) throw new Error('no alert');
    const acked = await acknowledgeAlert({ context: lab.telecare, request: { alertId: alert.alertId, note: 'Called: overslept, all well' } });
    expect(acked).toMatchObject({ alertId: alert.alertId, note: 'Called: overslept, all well', acknowledgedAt: new Date(clock).toISOString() });
    const before = await tables();
    expect(await refusal(acknowledgeAlert({ context: lab.telecare, request: { alertId: alert.alertId } }))).toMatch(/^CONFLICT: alert .* was already acknowledged/);
    expect(await refusal(acknowledgeAlert({ context: lab.telecare, request: { alertId: 'alert-nope-1' } }))).toMatch(/^NOT_FOUND/);
    expect(await refusal(acknowledgeAlert({ context: lab.telecare, request: { alertId: 'DROP TABLE' } }))).toMatch(/^INVALID_REQUEST: alertId/);
    expect(await refusal(acknowledgeAlert({ context: lab.telecare, request: { alertId: alert.alertId, note: 'x'.repeat(281) } }))).toMatch(/^INVALID_REQUEST: note: at most 280/);
    expect(await tables()).toBe(before);
    expect((await listHomes({ context: lab.telecare, worldId }))[0]).toMatchObject({ alerts: 1, openAlerts: 0 });
  });

  it('on withdrawal, destroys its session with the home and the relay routes nothing more; a replayed admission cannot reopen it', async () => {
    expect(consenting.applet('telecare').command('withdraw', { withdrawal: { service: 'telecare', meterId: consenting.state.meterId, sequence: 2 }, signature: sign({ service: 'telecare', meterId: consenting.state.meterId, sequence: 2 }) }).status).toBe(0x9000);
    expect(await enrolHome({ context: lab.telecare, proof: proof(consenting, 2, false) })).toEqual({ meterId: consenting.state.meterId, state: 'withdrawn' });
    const [home] = await listHomes({ context: lab.telecare, worldId });
    expect(home).toMatchObject({ withdrawnAt: new Date(clock).toISOString(), collectArmed: false, alerts: 1 });
    expect(await database.db.client.telecareSession.count()).toBe(0);
    // The standing collect already queued at the relay reaches the meter no more: the relay stopped it.
    const seen = consenting.seen.length;
    await lab.wake();
    expect(consenting.seen.length).toBe(seen);
    expect((await lab.relay.deadLetters({ worldId })).map((d) => d.lastError)).toEqual([expect.stringMatching(/^consent withdrawn/)]);
    expect(await refusal(enrolHome({ context: lab.telecare, proof: proof(consenting, 1, true) }))).toMatch(/^CONSENT_STALE/);
    const downlink = encodeEnvelope({ messageId: bytesToHex(random(16)), worldId, meterId: consenting.state.meterId, partyId: 'telecare', appletId: 'telecare', messageClass: 'collect', direction: 'downlink' }, random(64));
    expect(await refusal(lab.telecare.relay.postDownlink(downlink))).toMatch(/^CONSENT_REQUIRED/);
  });

  it('re-enrols a home whose householder consents again, with a fresh session', async () => {
    expect(await enrolHome({ context: lab.telecare, proof: proof(consenting, 3, true) })).toEqual({ meterId: consenting.state.meterId, state: 'admitted' });
    expect((await listHomes({ context: lab.telecare, worldId }))[0]).toMatchObject({ withdrawnAt: null, collectArmed: true });
    const before = consenting.seen.length;
    await lab.wake(2);
    expect(consenting.seen.slice(before, before + 3)).toEqual(['telecare plain a4', 'telecare plain ca', 'telecare plain 88']);
    const pending = await lab.relay.pendingDownlinks(worldId, [consenting.state.meterId]);
    expect(pending.every((p) => decodeEnvelope(p.envelope).header.messageClass === 'collect')).toBe(true);
  });
});
