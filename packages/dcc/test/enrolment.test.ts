// Consent-gated parties (DESIGN.md message catalog, "enrolment"; eligibility "only the householder's
// consent can admit telecare") and per-party allowances, against the real relay on a migrated
// database: nothing reaches or leaves a meter for telecare until the meter's device-signed proof of
// consent is in; a withdrawal closes the route again; forged, stale and misdirected proofs change
// nothing but the refusal log.
import { createTestDatabase, type TestDatabase } from '@hydra/db/testing';
import { bytesToHex, generateKeyPair, signMessage, type KeyPair, type RoutingHeader } from '@hydra/globalplatform';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createConsentProof, parseConsentProof, type ConsentStatement } from '../src/consent-proof';
import { encodeEnvelope } from '../src/envelope';
import { createManufacturerCa } from '../src/manufacturer-ca';
import { Relay, type MeterAnnouncement, type MeterWithdrawal, type PartyTransport } from '../src/relay';
import { refusal } from './refusal';

const random = (n: number) => new Uint8Array(randomBytes(n));
const id = () => bytesToHex(random(16));
const worldId = 'enrol-test';
const meterId = 'enrol-test-m0001';
const otherMeter = 'enrol-test-m0002';


describe('relay: enrolment on the meter’s proof of consent', () => {
  let database: TestDatabase;
  let relay: Relay;
  let device: KeyPair;
  let otherDevice: KeyPair;
  const announced: { partyId: string; announcement: MeterAnnouncement }[] = [];
  const withdrawn: { partyId: string; withdrawal: MeterWithdrawal }[] = [];
  const telecareDomain = generateKeyPair(random);
  const manufacturer = createManufacturerCa({ privateKeyHex: bytesToHex(generateKeyPair(random).privateKey), random });
  const transport: PartyTransport = {
    deliver: async () => 'accepted',
    announceMeter: async (partyId, announcement) => void announced.push({ partyId, announcement }),
    withdrawMeter: async (partyId, withdrawal) => void withdrawn.push({ partyId, withdrawal }),
  };
  const statement = (overrides: Partial<ConsentStatement> = {}): ConsentStatement => ({ worldId, meterId, partyId: 'telecare', appletId: 'telecare', sequence: 1, admitted: true, ...overrides });
  const prove = (s: ConsentStatement, key = device.privateKey) => createConsentProof(s, (bytes) => signMessage(bytes, key));
  const downlink = (overrides: Partial<RoutingHeader> = {}) =>
    encodeEnvelope({ messageId: id(), worldId, meterId, partyId: 'telecare', appletId: 'telecare', messageClass: 'collect', direction: 'downlink', ...overrides }, random(64));
  const uplink = (overrides: Partial<RoutingHeader> = {}) =>
    encodeEnvelope({ messageId: id(), worldId, meterId, partyId: 'telecare', appletId: 'telecare', messageClass: 'collect-response', direction: 'uplink', ...overrides }, random(64), (bytes) => signMessage(bytes, device.privateKey));
  const counts = async () => ({
    enrolments: await database.db.client.dccEnrolment.count(),
    messages: await database.db.client.dccMessage.count(),
    refusals: await database.db.client.dccRefusal.count(),
  });

  beforeAll(async () => {
    database = await createTestDatabase();
    const db = database.db.client;
    const start = new Date('2025-01-01T00:00:00Z');
    await db.world.create({ data: { id: worldId, name: 'Enrol', seed: 's', homeCount: 2, startDate: '2025-01-01', clock: start, hostProgress: start } });
    await db.home.create({ data: { id: `${worldId}-h0001`, worldId, index: 0, meterId, archetype: 'family', feederId: 'f1' } });
    await db.home.create({ data: { id: `${worldId}-h0002`, worldId, index: 1, meterId: otherMeter, archetype: 'family', feederId: 'f1' } });
    relay = new Relay({ db, transport, random, now: () => new Date('2026-01-01T00:00:00Z'), manufacturer });
    for (const party of ['supplier', 'dno', 'telecare']) await relay.registerParty({ id: party, name: party, role: party, publicKey: null });
    device = generateKeyPair(random);
    otherDevice = generateKeyPair(random);
    await relay.registerMeter({
      worldId,
      meterId,
      devicePublicKey: bytesToHex(device.publicKey),
      domains: [
        { partyId: 'dno', aid: 'f04859445201646e6f', publicKey: bytesToHex(generateKeyPair(random).publicKey) },
        { partyId: 'telecare', aid: 'f0485944520174656c65', publicKey: bytesToHex(telecareDomain.publicKey) },
      ],
    });
    await relay.registerMeter({ worldId, meterId: otherMeter, devicePublicKey: bytesToHex(otherDevice.publicKey), domains: [{ partyId: 'telecare', aid: 'f0485944520174656c65', publicKey: bytesToHex(generateKeyPair(random).publicKey) }] });
  });
  afterAll(async () => database?.dispose());

  it('announces a meter’s DNO domain at registration, but its telecare domain to nobody before consent', () => {
    expect(announced.map((a) => `${a.partyId}:${a.announcement.meterId}`)).toEqual([`dno:${meterId}`]);
  });

  it('refuses telecare downlinks and uplinks for a meter without a standing consent, and logs why', async () => {
    const before = await counts();
    expect(await refusal(relay.acceptDownlink('telecare', downlink()))).toBe('CONSENT_REQUIRED');
    expect(await refusal(relay.acceptUplink(uplink()))).toBe('CONSENT_REQUIRED');
    expect(await counts()).toEqual({ ...before, refusals: before.refusals + 2 });
    const [logged] = await relay.refusals({ code: 'CONSENT_REQUIRED' });
    expect(logged?.reason).toMatch(/only the householder's consent admits telecare/);
  });

  it('refuses forged, misdirected, other-party and malformed proofs, changing nothing but the refusal log', async () => {
    const before = await counts();
    // Signed by another meter's key.
    expect(await refusal(relay.enrol('telecare', prove(statement(), otherDevice.privateKey)))).toBe('SIGNATURE_INVALID');
    // A statement whose bytes were altered after signing.
    const good = prove(statement());
    expect(await refusal(relay.enrol('telecare', { ...good, statement: good.statement.replace('"sequence":1', '"sequence":2') }))).toBe('SIGNATURE_INVALID');
    // Carried by a party it does not name, or for a party that needs no consent.
    expect(await refusal(relay.enrol('supplier', good))).toBe('FORBIDDEN');
    expect(await refusal(relay.enrol('dno', prove(statement({ partyId: 'dno', appletId: 'load-control' }))))).toBe('ROLE_NOT_ELIGIBLE');
    // For a meter of another world, a wrong applet, or malformed.
    expect(await refusal(relay.enrol('telecare', prove(statement({ worldId: 'other-world' }))))).toBe('METER_UNKNOWN');
    expect(await refusal(relay.enrol('telecare', prove(statement({ appletId: 'billing' }))))).toBe('ROUTE_INVALID');
    expect(await refusal(relay.enrol('telecare', { statement: '{}', signature: '00' }))).toBe('ENVELOPE_MALFORMED');
    expect(await refusal(relay.enrol('telecare', { ...good, statement: good.statement.replace(',', ', ') }))).toBe('ENVELOPE_MALFORMED');
    expect(await refusal(relay.enrol('telecare', 'nonsense'))).toBe('ENVELOPE_MALFORMED');
    expect(await counts()).toEqual({ ...before, refusals: before.refusals + 9 });
    expect(announced.filter((a) => a.partyId === 'telecare')).toEqual([]);
  });

  it('admits telecare on a good proof: announces the meter’s telecare domain, then routes both ways', async () => {
    expect(await relay.enrol('telecare', prove(statement()))).toEqual({ meterId, state: 'admitted' });
    expect(announced.filter((a) => a.partyId === 'telecare')).toEqual([{ partyId: 'telecare', announcement: { worldId, meterId, aid: 'f0485944520174656c65', domainPublicKey: bytesToHex(telecareDomain.publicKey) } }]);
    expect((await relay.acceptDownlink('telecare', downlink())).status).toBe('accepted');
    expect((await relay.acceptUplink(uplink())).status).toBe('accepted');
    // The other home did not consent: still closed.
    expect(await refusal(relay.acceptDownlink('telecare', downlink({ meterId: otherMeter })))).toBe('CONSENT_REQUIRED');
    expect(await relay.enrolments({ worldId })).toEqual([expect.objectContaining({ meterId, partyId: 'telecare', state: 'admitted', sequence: 1 })]);
    // Re-registering the meter with unchanged keys announces nothing new; telecare stays admitted.
    const seen = announced.length;
    await relay.registerMeter({ worldId, meterId, devicePublicKey: bytesToHex(device.publicKey), domains: [{ partyId: 'telecare', aid: 'f0485944520174656c65', publicKey: bytesToHex(telecareDomain.publicKey) }] });
    expect(announced).toHaveLength(seen);
  });

  it('refuses a replayed (stale) proof, then withdraws on a newer one and closes the route', async () => {
    const before = await counts();
    expect(await refusal(relay.enrol('telecare', prove(statement())))).toBe('CONSENT_STALE');
    expect(await counts()).toEqual({ ...before, refusals: before.refusals + 1 });
    const queued = await relay.messages({ meterId, partyId: 'telecare', state: 'queued' });
    expect(queued.length).toBeGreaterThan(0);
    expect(await relay.enrol('telecare', prove(statement({ sequence: 2, admitted: false })))).toEqual({ meterId, state: 'withdrawn' });
    // What was still queued between them is stopped, visibly (dead letters with the reason).
    expect(await relay.messages({ meterId, partyId: 'telecare', state: 'queued' })).toEqual([]);
    const dead = await relay.deadLetters({ worldId });
    expect(dead.filter((d) => queued.some((q) => q.messageId === d.messageId)).map((d) => d.lastError)).toEqual(queued.map(() => expect.stringMatching(/^consent withdrawn/)));
    expect(withdrawn).toEqual([{ partyId: 'telecare', withdrawal: { worldId, meterId } }]);
    expect(await refusal(relay.acceptDownlink('telecare', downlink()))).toBe('CONSENT_REQUIRED');
    // The old admission cannot be replayed to reopen it.
    expect(await refusal(relay.enrol('telecare', prove(statement())))).toBe('CONSENT_STALE');
  });

  it('parses only the one encoding of a statement', () => {
    const proof = prove(statement({ sequence: 7 }));
    expect(parseConsentProof(proof).statement).toEqual(statement({ sequence: 7 }));
    expect(() => parseConsentProof({ ...proof, extra: 1 })).toThrow(/consent proof/);
    expect(() => parseConsentProof({ ...proof, statement: proof.statement.replace('"admitted":true', '"admitted":1') })).toThrow(/admitted/);
  });

  it('keeps one party’s downlink allowance apart from another’s, and gives a party its own when configured', async () => {
    const limited = new Relay({ db: database.db.client, transport, random, now: () => new Date('2026-01-01T00:00:00Z'), manufacturer, limits: { party: { perSecond: 1, burst: 1 }, parties: { dno: { perSecond: 1, burst: 5 } } } });
    const down = (partyId: string, appletId: string) => encodeEnvelope({ messageId: id(), worldId, meterId, partyId, appletId, messageClass: 'collect', direction: 'downlink' }, random(64));
    // The DNO has its own allowance (burst 5), above the default for every other party (burst 1).
    for (let i = 0; i < 5; i++) expect((await limited.acceptDownlink('dno', down('dno', 'load-control'))).status).toBe('accepted');
    expect(await refusal(limited.acceptDownlink('dno', down('dno', 'load-control')))).toBe('RATE_LIMITED');
    const [logged] = await limited.refusals({ code: 'RATE_LIMITED', partyId: 'dno' });
    expect(logged?.reason).toMatch(/party dno is sending downlinks faster than its allowance; wait 1 s/);
    // The DNO's flood spent none of the supplier's: its first downlink passes the limit (and is then
    // refused for its route — this meter has no supplier domain), its second is rate-limited.
    expect(await refusal(limited.acceptDownlink('supplier', down('supplier', 'billing')))).toBe('ROUTE_INVALID');
    expect(await refusal(limited.acceptDownlink('supplier', down('supplier', 'billing')))).toBe('RATE_LIMITED');
  });
});
