// The relay against a real migrated database: accepting, refusing, queueing, delivering and
// acknowledging envelopes, and what it keeps (metadata only).
import { createTestDatabase, type TestDatabase } from '@hydra/db/testing';
import { bytesToHex, generateKeyPair, signMessage, type KeyPair, type RoutingHeader } from '@hydra/globalplatform';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { encodeEnvelope, MAX_ENVELOPE_BYTES } from '../src/envelope';
import { MAX_BATCH_BYTES, MAX_BATCH_ENVELOPES } from '../src/uplink-batch';
import { DeliveryRefusedError, RelayError } from '../src/errors';
import { Relay, type MeterAnnouncement, type MeterWithdrawal, type PartyTransport, type UplinkOutcome } from '../src/relay';
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

  it('refuses an envelope signed with the old device key as soon as the meter re-registered with new keys', async () => {
    const old = device;
    // (An earlier test gave this meter a DNO domain; this one starts without.)
    await database.db.client.dccSecurityDomain.deleteMany({ where: { meterId, partyId: 'dno' } });
    // Accepted first, so this relay holds the registration with the old key in memory.
    expect((await relay.acceptUplink(uplink())).status).toBe('accepted');
    const fresh = generateKeyPair(random);
    const dnoDomain = { partyId: 'dno', aid: 'A000000151444E4F', publicKey: bytesToHex(generateKeyPair(random).publicKey) };
    const power = { partyId: 'dno', appletId: 'power-quality', messageClass: 'collect-response' };
    expect(await refusal(relay.acceptUplink(uplink(power)))).toBe('ROUTE_INVALID'); // no DNO domain yet
    await relay.registerMeter({ worldId, meterId, devicePublicKey: bytesToHex(fresh.publicKey), domains: [{ partyId: 'supplier', aid: 'A000000151535550', publicKey: bytesToHex(supplierDomain.publicKey) }, dnoDomain] });
    const before = await counts();
    expect(await refusal(relay.acceptUplink(uplink({}, random(64), old.privateKey)))).toBe('SIGNATURE_INVALID');
    const [batched] = await relay.acceptUplinks([uplink({}, random(64), old.privateKey)]);
    expect(batched).toMatchObject({ status: 'refused', error: { code: 'SIGNATURE_INVALID' } });
    expect(await counts()).toEqual({ messages: before.messages, refusals: before.refusals + 2 });
    // The new key and the new domain are in force at once.
    expect((await relay.acceptUplink(uplink({}, random(64), fresh.privateKey))).status).toBe('accepted');
    expect((await relay.acceptUplink(uplink(power, random(64), fresh.privateKey))).status).toBe('accepted');
  });

  it('sees a registration another relay process changed once its cached copy expires', async () => {
    let now = Date.parse('2026-01-01T00:00:00Z');
    const cached = new Relay({ db: database.db.client, transport, random, now: () => new Date(now), registrationTtlMs: 1000, manufacturer: createManufacturerCa({ privateKeyHex: bytesToHex(generateKeyPair(random).privateKey), random }) });
    const other = new Relay({ db: database.db.client, transport, random, now: () => new Date(now), manufacturer: createManufacturerCa({ privateKeyHex: bytesToHex(generateKeyPair(random).privateKey), random }) });
    expect((await cached.acceptUplink(uplink())).status).toBe('accepted');
    const fresh = generateKeyPair(random);
    await other.registerMeter({ worldId, meterId, devicePublicKey: bytesToHex(fresh.publicKey), domains: [{ partyId: 'supplier', aid: 'A000000151535550', publicKey: bytesToHex(supplierDomain.publicKey) }] });
    now += 1001;
    expect(await refusal(cached.acceptUplink(uplink()))).toBe('SIGNATURE_INVALID');
    expect((await cached.acceptUplink(uplink({}, random(64), fresh.privateKey))).status).toBe('accepted');
  });

  it('stamps each message with the world clock it keeps, and reads a moved clock at once when told', async () => {
    const first = await relay.acceptUplink(uplink());
    const moved = new Date('2025-02-01T00:00:00Z');
    const start = (await database.db.client.world.findUniqueOrThrow({ where: { id: worldId } })).clock;
    await database.db.client.world.update({ where: { id: worldId }, data: { clock: moved } });
    try {
      relay.worldClockChanged(worldId);
      const second = await relay.acceptUplink(uplink());
      const rows = await database.db.client.dccMessage.findMany({ where: { id: { in: [first.messageId, second.messageId] } }, orderBy: { sequence: 'asc' } });
      expect(rows.map((row) => row.worldTime.toISOString())).toEqual([start.toISOString(), moved.toISOString()]);
    } finally {
      await database.db.client.world.update({ where: { id: worldId }, data: { clock: start } });
      relay.worldClockChanged(worldId);
    }
  });

  describe('uplink batches', () => {
    const statuses = (outcomes: UplinkOutcome[]) => outcomes.map((o) => (o.status === 'refused' ? o.error.code : o.status));

    it('accepts a good batch in one go, stored and delivered in its order', async () => {
      const batch = Array.from({ length: 5 }, () => uplink());
      const before = await counts();
      const outcomes = await relay.acceptUplinks(batch);
      expect(statuses(outcomes)).toEqual(['accepted', 'accepted', 'accepted', 'accepted', 'accepted']);
      expect(await counts()).toEqual({ messages: before.messages + 5, refusals: before.refusals });
      expect(transport.delivered.map((d) => bytesToHex(d.envelope))).toEqual(batch.map((b) => bytesToHex(b)));
      const rows = await database.db.client.dccMessage.findMany({ where: { id: { in: outcomes.map((o) => o.messageId ?? '') } }, orderBy: { sequence: 'asc' } });
      expect(rows.map((row) => row.id)).toEqual(outcomes.map((o) => o.messageId));
      expect(rows.every((row) => row.state === 'delivered' && row.envelope === null)).toBe(true);
    });

    it('refuses a malformed, tampered, wrongly routed or unknown meter’s envelope on its own: recorded, nothing stored for it, the rest accepted', async () => {
      const payload = random(512);
      const tampered = uplink({}, payload);
      tampered[tampered.length - 100]! ^= 1;
      const good = [uplink(), uplink()];
      const batch = [good[0]!, random(200), tampered, uplink({ partyId: 'dno' }), uplink({ meterId: 'relay-test-m9999' }), uplink({ direction: 'downlink' }), good[1]!];
      const before = await counts();
      const outcomes = await relay.acceptUplinks(batch);
      expect(statuses(outcomes)).toEqual(['accepted', 'ENVELOPE_MALFORMED', 'SIGNATURE_INVALID', 'ROUTE_INVALID', 'METER_UNKNOWN', 'ROUTE_INVALID', 'accepted']);
      expect(await counts()).toEqual({ messages: before.messages + 2, refusals: before.refusals + 5 });
      expect(transport.delivered.map((d) => bytesToHex(d.envelope))).toEqual(good.map((b) => bytesToHex(b)));
      const logged = await database.db.client.dccRefusal.findMany({ orderBy: { receivedAt: 'desc' }, take: 5 });
      expect(logged.map((r) => r.code).sort()).toEqual(['ENVELOPE_MALFORMED', 'METER_UNKNOWN', 'ROUTE_INVALID', 'ROUTE_INVALID', 'SIGNATURE_INVALID']);
      expect(logged.find((r) => r.code === 'SIGNATURE_INVALID')).toMatchObject({ worldId, meterId, partyId: 'supplier', sizeBytes: tampered.length });
      // Metadata and reasons only: no payload in the refusal log.
      expect(JSON.stringify(logged)).not.toContain(bytesToHex(payload).slice(0, 32));
    });

    it('refuses an oversized batch as a whole (too many envelopes, too many bytes): recorded, nothing stored', async () => {
      const before = await counts();
      const tooMany = Array.from({ length: MAX_BATCH_ENVELOPES + 1 }, () => uplink({}, random(16)));
      expect(await refusal(relay.acceptUplinks(tooMany))).toBe('BATCH_OVERSIZED');
      const big = Math.ceil(MAX_BATCH_BYTES / 60_000) + 1;
      const tooLarge = Array.from({ length: big }, () => uplink({}, random(60_000)));
      const error = await relay.acceptUplinks(tooLarge).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(RelayError);
      expect((error as RelayError).status).toBe(413);
      expect((error as RelayError).message).toMatch(/at most 256 envelopes and 1048576 bytes.*send smaller batches/);
      expect(await counts()).toEqual({ messages: before.messages, refusals: before.refusals + 2 });
      expect(transport.delivered).toHaveLength(0);
      expect(await relay.acceptUplinks([])).toEqual([]);
    });

    it('has exactly one effect per message id across a redelivery: identical bytes "already delivered", other bytes refused', async () => {
      const [a, b, c] = [uplink(), uplink(), uplink()];
      expect(statuses(await relay.acceptUplinks([a!, b!, c!]))).toEqual(['accepted', 'accepted', 'accepted']);
      const before = await counts();
      // The hub lost the answer and posts the same batch again: no second effect.
      expect(statuses(await relay.acceptUplinks([a!, b!, c!]))).toEqual(['already-delivered', 'already-delivered', 'already-delivered']);
      expect(await counts()).toEqual(before);
      // A replayed id with other bytes is refused; a new one beside it is accepted; an id twice in one batch is stored once.
      const replay = uplink({ messageId: bytesToHex(random(16)) });
      const replayed = uplink({ messageId: (await relay.acceptUplink(replay)).messageId });
      const d = uplink();
      const outcomes = await relay.acceptUplinks([a!, replayed, d, d]);
      expect(statuses(outcomes)).toEqual(['already-delivered', 'MESSAGE_ID_REUSED', 'accepted', 'already-delivered']);
      expect(await counts()).toEqual({ messages: before.messages + 2, refusals: before.refusals + 1 });
      // Each message reached its party exactly once.
      const delivered = transport.delivered.map((x) => bytesToHex(x.envelope));
      expect(delivered).toEqual([a, b, c, replay, d].map((x) => bytesToHex(x!)));
    });

    it('rate-limits per envelope within a batch, saying when to send again', async () => {
      const limited = new Relay({ db: database.db.client, transport, random, now: () => new Date('2026-01-01T00:00:00Z'), limits: { meter: { perSecond: 1, burst: 2 } }, manufacturer: createManufacturerCa({ privateKeyHex: bytesToHex(generateKeyPair(random).privateKey), random }) });
      const outcomes = await limited.acceptUplinks([uplink(), uplink(), uplink()]);
      expect(statuses(outcomes)).toEqual(['accepted', 'accepted', 'RATE_LIMITED']);
      const third = outcomes[2];
      expect(third?.status === 'refused' && third.error.retryAfterSeconds).toBe(1);
    });
  });

  it('works off a backlog larger than one drain’s budget in one background delivery', async () => {
    const deferred = new Relay({ db: database.db.client, transport, random, now: () => new Date('2026-01-01T00:00:00Z'), delivery: 'deferred', limits: { meter: { perSecond: 1e6, burst: 1e6 } }, manufacturer: createManufacturerCa({ privateKeyHex: bytesToHex(generateKeyPair(random).privateKey), random }) });
    const batches = Array.from({ length: 5 }, () => Array.from({ length: 220 }, () => uplink({}, random(16))));
    for (const batch of batches) expect((await deferred.acceptUplinks(batch)).every((o) => o.status === 'accepted')).toBe(true);
    expect(transport.delivered).toHaveLength(0);
    await deferred.deliverInBackground();
    // 1,100 on one channel, in order: more than the 1,000 a drain takes at a time.
    expect(transport.delivered.map((d) => bytesToHex(d.envelope))).toEqual(batches.flat().map((b) => bytesToHex(b)));
    expect((await deferred.queueDepth(worldId)).filter((channel) => channel.direction === 'uplink')).toEqual([]);
  });

  it('keeps at most deliveryConcurrency deliveries in flight in a drain round', async () => {
    const dnoDomain = { partyId: 'dno', aid: 'A000000151444E4F', publicKey: bytesToHex(generateKeyPair(random).publicKey) };
    await relay.registerMeter({ worldId, meterId, devicePublicKey: bytesToHex(device.publicKey), domains: [{ partyId: 'supplier', aid: 'A000000151535550', publicKey: bytesToHex(supplierDomain.publicKey) }, dnoDomain] });
    let inFlight = 0;
    let most = 0;
    const slow: PartyTransport = {
      deliver: async () => {
        most = Math.max(most, ++inFlight);
        await new Promise((resolve) => setTimeout(resolve, 20));
        inFlight--;
        return 'accepted';
      },
      announceMeter: async () => undefined,
      withdrawMeter: async () => undefined,
    };
    const make = (deliveryConcurrency?: number) =>
      new Relay({ db: database.db.client, transport: slow, random, now: () => new Date('2026-01-01T00:00:00Z'), delivery: 'deferred', ...(deliveryConcurrency ? { deliveryConcurrency } : {}), manufacturer: createManufacturerCa({ privateKeyHex: bytesToHex(generateKeyPair(random).privateKey), random }) });
    const power = { partyId: 'dno', appletId: 'power-quality', messageClass: 'collect-response' };
    // Two channels (supplier, DNO): a round has two heads.
    const one = make(1);
    await one.acceptUplinks([uplink(), uplink(power)]);
    await one.drain();
    expect(most).toBe(1);
    most = 0;
    const two = make();
    await two.acceptUplinks([uplink(), uplink(power)]);
    await two.drain();
    expect(most).toBe(2);
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
