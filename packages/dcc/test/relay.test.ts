// The relay against a real migrated database: accepting, refusing, queueing, delivering and
// acknowledging envelopes, and what it keeps (metadata only).
import { createTestDatabase, type TestDatabase } from '@hydra/db/testing';
import { bytesToHex, generateKeyPair, signMessage, type KeyPair, type RoutingHeader } from '@hydra/globalplatform';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { encodeEnvelope, MAX_ENVELOPE_BYTES } from '../src/envelope';
import { DeliveryRefusedError, RelayError } from '../src/errors';
import { Relay, type MeterAnnouncement, type MeterWithdrawal, type PartyTransport } from '../src/relay';
import { createManufacturerCa } from '../src/manufacturer-ca';
import { refusal } from './refusal';

const random = (n: number) => new Uint8Array(randomBytes(n));
const id = () => bytesToHex(random(16));

class RecordingTransport implements PartyTransport {
  withdrawn: { partyId: string; withdrawal: MeterWithdrawal }[] = [];
  delivered: { partyId: string; envelope: Uint8Array }[] = [];
  announced: { partyId: string; announcement: MeterAnnouncement }[] = [];
  failing = false;
  async deliver(partyId: string, envelope: Uint8Array) {
    if (this.failing) throw new Error('party backend unreachable');
    this.delivered.push({ partyId, envelope });
    return 'accepted' as const;
  }
  async announceMeter(partyId: string, announcement: MeterAnnouncement) {
    this.announced.push({ partyId, announcement });
  }
  async withdrawMeter(partyId: string, withdrawal: MeterWithdrawal) {
    this.withdrawn.push({ partyId, withdrawal });
  }
}


describe('relay', () => {
  let database: TestDatabase;
  let relay: Relay;
  let transport: RecordingTransport;
  let device: KeyPair;
  const supplierDomain = generateKeyPair(random);
  const worldId = 'relay-test';
  const meterId = 'relay-test-m0001';

  const uplink = (overrides: Partial<RoutingHeader> = {}, payload = random(512), key = device.privateKey) =>
    encodeEnvelope(
      { messageId: id(), worldId, meterId, partyId: 'supplier', appletId: 'billing', messageClass: 'collect-response', direction: 'uplink', ...overrides },
      payload,
      (bytes) => signMessage(bytes, key),
    );
  const downlink = (overrides: Partial<RoutingHeader> = {}) =>
    encodeEnvelope({ messageId: id(), worldId, meterId, partyId: 'supplier', appletId: 'billing', messageClass: 'collect', direction: 'downlink', ...overrides }, random(512));
  const counts = async () => ({
    messages: await database.db.client.dccMessage.count(),
    refusals: await database.db.client.dccRefusal.count(),
  });

  beforeAll(async () => {
    database = await createTestDatabase();
    const start = new Date('2025-01-01T00:00:00Z');
    await database.db.client.world.create({ data: { id: worldId, name: 'Relay test', seed: 's', homeCount: 1, startDate: '2025-01-01', clock: start, hostProgress: start } });
    await database.db.client.home.create({ data: { id: `${worldId}-h0001`, worldId, index: 0, meterId, archetype: 'couple', feederId: 'f1' } });
  });
  afterAll(async () => database?.dispose());

  beforeEach(async () => {
    transport = new RecordingTransport();
    relay = new Relay({ db: database.db.client, transport, random, now: () => new Date('2026-01-01T00:00:00Z'), maxAttempts: 3, manufacturer: createManufacturerCa({ privateKeyHex: bytesToHex(generateKeyPair(random).privateKey), random }) });
    await relay.registerParty({ id: 'supplier', name: 'Supplier', role: 'supplier', publicKey: generateKeyPair(random).publicKey });
    await relay.registerParty({ id: 'dno', name: 'DNO', role: 'dno', publicKey: null });
    device = generateKeyPair(random);
    await relay.registerMeter({ worldId, meterId, devicePublicKey: bytesToHex(device.publicKey), domains: [{ partyId: 'supplier', aid: 'A000000151535550', publicKey: bytesToHex(supplierDomain.publicKey) }] });
  });

  it('announces a newly registered security domain to its party once', async () => {
    transport.announced = [];
    await relay.registerMeter({ worldId, meterId, devicePublicKey: bytesToHex(device.publicKey), domains: [{ partyId: 'supplier', aid: 'A000000151535550', publicKey: bytesToHex(supplierDomain.publicKey) }] });
    expect(transport.announced).toEqual([]); // same domain key as before: nothing new to announce
    const other = generateKeyPair(random);
    await relay.registerMeter({ worldId, meterId, devicePublicKey: bytesToHex(device.publicKey), domains: [{ partyId: 'supplier', aid: 'A000000151535550', publicKey: bytesToHex(other.publicKey) }] });
    expect(transport.announced).toEqual([{ partyId: 'supplier', announcement: { worldId, meterId, aid: 'A000000151535550', domainPublicKey: bytesToHex(other.publicKey) } }]);
    await relay.registerMeter({ worldId, meterId, devicePublicKey: bytesToHex(device.publicKey), domains: [{ partyId: 'supplier', aid: 'A000000151535550', publicKey: bytesToHex(supplierDomain.publicKey) }] });
  });

  it('dead-letters what is queued for a meter and party when the meter re-registers with new keys (a new card)', async () => {
    transport.failing = true;
    const dnoDomain = { partyId: 'dno', aid: 'A000000151444E4F', publicKey: bytesToHex(generateKeyPair(random).publicKey) };
    await relay.registerMeter({ worldId, meterId, devicePublicKey: bytesToHex(device.publicKey), domains: [{ partyId: 'supplier', aid: 'A000000151535550', publicKey: bytesToHex(supplierDomain.publicKey) }, dnoDomain] });
    await relay.acceptDownlink('supplier', downlink());
    await relay.acceptUplink(uplink());
    const dno = await relay.acceptDownlink('dno', downlink({ partyId: 'dno', appletId: 'power-quality', messageClass: 'collect' }));
    const queued = async (partyId: string) => (await relay.messages({ meterId, partyId, state: 'queued' })).length;
    expect(await queued('supplier')).toBe(2);
    // Same keys again: nothing changes.
    await relay.registerMeter({ worldId, meterId, devicePublicKey: bytesToHex(device.publicKey), domains: [{ partyId: 'supplier', aid: 'A000000151535550', publicKey: bytesToHex(supplierDomain.publicKey) }] });
    expect(await queued('supplier')).toBe(2);
    const fresh = generateKeyPair(random);
    await relay.registerMeter({ worldId, meterId, devicePublicKey: bytesToHex(device.publicKey), domains: [{ partyId: 'supplier', aid: 'A000000151535550', publicKey: bytesToHex(fresh.publicKey) }, dnoDomain] });
    expect(await queued('supplier')).toBe(0);
    const dead = await relay.messages({ meterId, partyId: 'supplier', state: 'dead' });
    expect(dead.slice(0, 2).map((m) => m.lastError)).toEqual([expect.stringMatching(/superseded/), expect.stringMatching(/superseded/)]);
    // Another party's channel is left alone.
    expect((await relay.messages({ meterId, partyId: 'dno', state: 'queued' })).map((m) => m.messageId)).toContain(dno.messageId);
    await relay.acknowledgeDownlinks(meterId, [dno.messageId]);
    await relay.registerMeter({ worldId, meterId, devicePublicKey: bytesToHex(device.publicKey), domains: [{ partyId: 'supplier', aid: 'A000000151535550', publicKey: bytesToHex(supplierDomain.publicKey) }] });
  });

  it('accepts a signed uplink, delivers it once, and keeps only metadata afterwards', async () => {
    const bytes = uplink();
    const result = await relay.acceptUplink(bytes);
    expect(result.status).toBe('accepted');
    expect(transport.delivered).toHaveLength(1);
    expect(transport.delivered[0]!.envelope).toEqual(bytes);
    const row = await database.db.client.dccMessage.findUniqueOrThrow({ where: { id: result.messageId } });
    expect(row.state).toBe('delivered');
    expect(row.envelope).toBeNull();
    expect(row.sizeBytes).toBe(bytes.length);
  });

  it('answers a byte-identical redelivery "already delivered" with no second effect', async () => {
    const bytes = uplink();
    await relay.acceptUplink(bytes);
    const before = await counts();
    const again = await relay.acceptUplink(bytes);
    expect(again.status).toBe('already-delivered');
    expect(transport.delivered).toHaveLength(1);
    expect(await counts()).toEqual(before);
  });

  it('refuses the same message id with other bytes (a replay) and changes nothing but the refusal log', async () => {
    const messageId = id();
    await relay.acceptUplink(uplink({ messageId }));
    const before = await counts();
    expect(await refusal(relay.acceptUplink(uplink({ messageId })))).toBe('MESSAGE_ID_REUSED');
    expect(await counts()).toEqual({ messages: before.messages, refusals: before.refusals + 1 });
    expect(transport.delivered).toHaveLength(1);
  });

  it('refuses tampered, wrongly signed, malformed, truncated and oversized uplinks', async () => {
    const before = await counts();
    const tampered = uplink();
    tampered[tampered.length - 100]! ^= 1;
    expect(await refusal(relay.acceptUplink(tampered))).toBe('SIGNATURE_INVALID');
    expect(await refusal(relay.acceptUplink(uplink({}, random(64), generateKeyPair(random).privateKey)))).toBe('SIGNATURE_INVALID');
    expect(await refusal(relay.acceptUplink(random(200)))).toBe('ENVELOPE_MALFORMED');
    const good = uplink();
    expect(await refusal(relay.acceptUplink(good.slice(0, good.length - 10)))).toBe('ENVELOPE_TRUNCATED');
    expect(await refusal(relay.acceptUplink(new Uint8Array(MAX_ENVELOPE_BYTES + 1)))).toBe('ENVELOPE_OVERSIZED');
    expect(await refusal(relay.acceptUplink(uplink({ meterId: 'relay-test-m9999' })))).toBe('METER_UNKNOWN');
    expect(await refusal(relay.acceptUplink(uplink({ partyId: 'dno' })))).toBe('ROUTE_INVALID');
    const after = await counts();
    expect(after.messages).toBe(before.messages);
    expect(after.refusals).toBe(before.refusals + 7);
    expect(transport.delivered).toHaveLength(0);
    const refusals = await database.db.client.dccRefusal.findMany({ orderBy: { receivedAt: 'desc' }, take: 7 });
    expect(refusals.every((r) => r.reason.length > 10)).toBe(true);
  });

  it('queues downlink only from the authenticated, eligible party', async () => {
    const before = await counts();
    expect((await relay.acceptDownlink('supplier', downlink())).status).toBe('accepted');
    expect(await refusal(relay.acceptDownlink('dno', downlink()))).toBe('FORBIDDEN');
    expect(await refusal(relay.acceptDownlink('dno', downlink({ partyId: 'dno', messageClass: 'set-tariff' })))).toBe('ROLE_NOT_ELIGIBLE');
    expect(await refusal(relay.acceptDownlink('supplier', downlink({ messageClass: 'load-control', appletId: 'load-control' })))).toBe('ROLE_NOT_ELIGIBLE');
    expect(await counts()).toEqual({ messages: before.messages + 1, refusals: before.refusals + 3 });
  });

  it('hands queued commands to the waking meter in order and drops their bytes once acknowledged', async () => {
    const first = await relay.acceptDownlink('supplier', downlink({ messageClass: 'set-tariff' }));
    const second = await relay.acceptDownlink('supplier', downlink());
    const pending = await relay.pendingDownlinks(worldId, [meterId]);
    const ids = pending.map((p) => p.messageId);
    expect(ids.indexOf(first.messageId)).toBeLessThan(ids.indexOf(second.messageId));
    expect(await relay.acknowledgeDownlinks(meterId, ids)).toBe(ids.length);
    expect(await relay.pendingDownlinks(worldId, [meterId])).toEqual([]);
    const rows = await database.db.client.dccMessage.findMany({ where: { id: { in: ids } } });
    expect(rows.every((row) => row.state === 'delivered' && row.envelope === null)).toBe(true);
  });

  it('keeps undeliverable uplinks queued in order and moves them to the dead-letter list after the last attempt', async () => {
    transport.failing = true;
    const a = await relay.acceptUplink(uplink());
    const b = await relay.acceptUplink(uplink());
    let rows = await database.db.client.dccMessage.findMany({ where: { id: { in: [a.messageId, b.messageId] } } });
    expect(rows.map((r) => r.state)).toEqual(['queued', 'queued']);
    await relay.drain();
    await relay.drain();
    rows = await database.db.client.dccMessage.findMany({ where: { id: { in: [a.messageId, b.messageId] } }, orderBy: { sequence: 'asc' } });
    expect(rows[0]!.state).toBe('dead');
    expect(rows[0]!.lastError).toMatch(/unreachable/);
    expect(rows[0]!.envelope).not.toBeNull();
    transport.failing = false;
    await relay.drain();
    expect(transport.delivered.map((d) => d.envelope.length)).toHaveLength(1);
    const stats = await relay.stats(worldId);
    expect(stats.dead).toBeGreaterThanOrEqual(1);
  });

  it('dead-letters at once an uplink its party refuses for good, and delivers the rest of the channel behind it', async () => {
    transport.failing = true; // both stay queued, in order
    const staleBytes = uplink();
    const stale = await relay.acceptUplink(staleBytes);
    const next = await relay.acceptUplink(uplink());
    transport.failing = false;
    const accept = transport.deliver.bind(transport);
    // The party refuses the first for good (it answers nothing the party has in flight); the rest it takes.
    transport.deliver = async (partyId, envelope) => {
      if (bytesToHex(envelope) === bytesToHex(staleBytes)) throw new DeliveryRefusedError('HTTP 409: answers no command in flight');
      return accept(partyId, envelope);
    };
    await relay.drain();
    const rows = await database.db.client.dccMessage.findMany({ where: { id: { in: [stale.messageId, next.messageId] } }, orderBy: { sequence: 'asc' } });
    expect(rows.map((r) => [r.id, r.state])).toEqual([
      [stale.messageId, 'dead'],
      [next.messageId, 'delivered'],
    ]);
    expect(rows[0]!.lastError).toBe('refused by the party: HTTP 409: answers no command in flight');
    expect(transport.delivered).toHaveLength(1);
  });

  it('shows no payload in its metadata log', async () => {
    const payload = random(512);
    await relay.acceptUplink(uplink({}, payload));
    const log = JSON.stringify(await relay.metadataLog(worldId));
    expect(log).not.toContain(bytesToHex(payload).slice(0, 32));
    expect(Object.keys((await relay.metadataLog(worldId))[0]!).sort()).toEqual(
      ['appletId', 'attempts', 'deliveredAt', 'direction', 'messageClass', 'messageId', 'meterId', 'partyId', 'receivedAt', 'sizeBytes', 'state', 'worldTime'].sort(),
    );
  });

  it('registers only meters of the world\'s published homes, and records the refusal', async () => {
    const before = await counts();
    const stranger = generateKeyPair(random);
    const code = await refusal(relay.registerMeter({ worldId, meterId: 'relay-test-m0099', devicePublicKey: bytesToHex(stranger.publicKey), domains: [] }));
    expect(code).toBe('METER_UNKNOWN');
    expect(await database.db.client.dccMeter.findUnique({ where: { meterId: 'relay-test-m0099' } })).toBeNull();
    expect(await counts()).toEqual({ ...before, refusals: before.refusals + 1 });
    await expect(relay.requireRegistered(worldId, [meterId, 'relay-test-m0099'], 'wake')).rejects.toThrow(/relay-test-m0099 is not registered/);
    await expect(relay.requireRegistered('other-world', [meterId], 'wake')).rejects.toThrow(/not registered in world other-world/);
    await expect(relay.requireRegistered(worldId, [meterId], 'wake')).resolves.toBeUndefined();
  });

  it('rate-limits a meter\'s uplinks (after the signature checks) and a party\'s downlinks, each refusal recorded with what to do', async () => {
    let now = Date.parse('2026-01-01T00:00:00Z');
    const limited = new Relay({ db: database.db.client, transport, random, now: () => new Date(now), limits: { meter: { perSecond: 1, burst: 2 }, party: { perSecond: 1, burst: 1 } }, manufacturer: createManufacturerCa({ privateKeyHex: bytesToHex(generateKeyPair(random).privateKey), random }) });
    // A forged envelope does not spend the meter's allowance.
    expect(await refusal(limited.acceptUplink(uplink({}, random(64), generateKeyPair(random).privateKey)))).toBe('SIGNATURE_INVALID');
    await limited.acceptUplink(uplink());
    await limited.acceptUplink(uplink());
    const before = await counts();
    const third = uplink();
    const error = await limited.acceptUplink(third).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RelayError);
    expect((error as RelayError).code).toBe('RATE_LIMITED');
    expect((error as RelayError).status).toBe(429);
    expect((error as RelayError).retryAfterSeconds).toBe(1);
    expect((error as RelayError).message).toMatch(/wait 1 s/);
    expect(await counts()).toEqual({ messages: before.messages, refusals: before.refusals + 1 });
    const logged = await limited.refusals({ code: 'RATE_LIMITED' });
    expect(logged[0]).toMatchObject({ meterId, code: 'RATE_LIMITED' });
    now += 1000;
    expect((await limited.acceptUplink(third)).status).toBe('accepted');
    await limited.acceptDownlink('supplier', downlink());
    expect(await refusal(limited.acceptDownlink('supplier', downlink()))).toBe('RATE_LIMITED');
  });

  it('lists dead letters and retries one: back in the queue, then delivered', async () => {
    transport.failing = true;
    const a = await relay.acceptUplink(uplink());
    await relay.drain();
    await relay.drain();
    const dead = await relay.deadLetters({ worldId });
    expect(dead.map((d) => d.messageId)).toContain(a.messageId);
    transport.failing = false;
    // Older dead letters on this channel from earlier tests block nothing: dead is out of the queue.
    expect(await relay.retryDeadLetter(a.messageId)).toEqual({ delivered: true });
    expect((await relay.deadLetters({ worldId })).map((d) => d.messageId)).not.toContain(a.messageId);
    expect(await refusal(relay.retryDeadLetter(a.messageId))).toBe('NOT_FOUND');
    const depth = await relay.queueDepth(worldId);
    expect(depth.every((channel) => channel.queued > 0)).toBe(true);
  });

  it('in background delivery, answers once the envelope is stored and delivers it right after', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const slow: PartyTransport = { deliver: async () => (await gate, 'accepted' as const), announceMeter: async () => undefined, withdrawMeter: async () => undefined };
    const background = new Relay({ db: database.db.client, transport: slow, random, now: () => new Date('2026-01-01T00:00:00Z'), delivery: 'background', manufacturer: createManufacturerCa({ privateKeyHex: bytesToHex(generateKeyPair(random).privateKey), random }) });
    const accepted = await background.acceptUplink(uplink());
    expect(accepted.status).toBe('accepted');
    const stored = await database.db.client.dccMessage.findUniqueOrThrow({ where: { id: accepted.messageId } });
    expect(stored.state).toBe('queued');
    expect(stored.envelope).not.toBeNull();
    release();
    await background.deliverInBackground();
    const after = await database.db.client.dccMessage.findUniqueOrThrow({ where: { id: accepted.messageId } });
    expect(after.state).toBe('delivered');
    expect(after.envelope).toBeNull();
  });
});
