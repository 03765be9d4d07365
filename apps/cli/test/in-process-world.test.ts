// The CLI's in-process wiring of the relay and the three party backends, against a real database:
// each party registered with the key it publishes; a meter's supplier and DNO domains announced to
// those parties at registration, its telecare domain to nobody until the meter's device-signed
// proof of consent is in; a signed withdrawal takes the home away from the provider again.
import { createTestDatabase, type TestDatabase } from '@hydra/db/testing';
import { createConsentProof, encodeEnvelope, type ConsentStatement } from '@hydra/dcc';
import { bytesToHex, generateKeyPair, signMessage } from '@hydra/globalplatform';
import { hydraAid } from '@hydra/meter-sim';
import { loadChannelKey, loadCommandKey } from '@hydra/suppliers';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createInProcessWorld, type InProcessWorld } from '../src/in-process-world';
import { seedWorld } from '../src/seed-world';

const random = (n: number) => new Uint8Array(randomBytes(n));
const worldId = 'in-process';
const meterId = 'in-process-m0001';

describe('in-process world: relay and every party backend', () => {
  let database: TestDatabase;
  let world: InProcessWorld;
  const device = generateKeyPair(random);
  const prove = (sequence: number, admitted: boolean) => {
    const statement: ConsentStatement = { worldId, meterId, partyId: 'telecare', appletId: 'telecare', sequence, admitted };
    return createConsentProof(statement, (bytes) => signMessage(bytes, device.privateKey));
  };
  const queued = (partyId: string) => database.db.client.dccMessage.count({ where: { meterId, partyId, direction: 'downlink', state: 'queued' } });

  beforeAll(async () => {
    database = await createTestDatabase();
    const db = database.db.client;
    await seedWorld({ db, worldId, name: 'In process', seed: 'hydra-demo', homes: 2, startDate: '2025-01-01' });
    world = createInProcessWorld({ db, random, keks: { supplier: random(32), dno: random(32), telecare: random(32) }, manufacturerCaKeyHex: `00${bytesToHex(random(31))}`, now: () => new Date('2025-01-01T00:00:00Z') });
    await world.registerParties();
    await world.relay.registerMeter({
      worldId,
      meterId,
      devicePublicKey: bytesToHex(device.publicKey),
      domains: ['supplier', 'dno', 'telecare'].map((partyId) => ({ partyId, aid: hydraAid('sd', partyId), publicKey: bytesToHex(generateKeyPair(random).publicKey) })),
    });
  });
  afterAll(async () => database?.dispose());

  it('registers each party with the public key it publishes: the supplier’s channel key, the DNO’s command key, none for telecare', async () => {
    const parties = await database.db.client.dccParty.findMany({ orderBy: { id: 'asc' } });
    expect(parties.map((party) => [party.id, party.publicKey ? bytesToHex(party.publicKey) : null])).toEqual([
      ['dno', bytesToHex((await loadCommandKey(world.dno)).publicKey)],
      ['supplier', bytesToHex((await loadChannelKey(world.supplier)).publicKey)],
      ['telecare', null],
    ]);
  });

  it('announces the meter to the supplier and the DNO, which open their channels, and not to telecare', async () => {
    const db = database.db.client;
    expect(await db.supplierAccount.count({ where: { meterId } })).toBe(1);
    expect(await db.dnoMeter.findUnique({ where: { meterId }, select: { feederId: true, commandKey: true } })).toEqual({ feederId: 'feeder-0000', commandKey: 'pending' });
    expect(await db.dnoAggregationKey.count({ where: { meterId } })).toBe(1);
    expect(await queued('supplier')).toBe(1);
    expect(await queued('dno')).toBe(1);
    expect(await db.telecareHome.count()).toBe(0);
    expect(await queued('telecare')).toBe(0);
  });

  it('enrols the home with telecare on the meter’s proof of consent, and withdraws it on the signed withdrawal', async () => {
    const db = database.db.client;
    expect(await world.telecare.relay.enrol(prove(1, true))).toEqual({ meterId, state: 'admitted' });
    expect(await db.telecareHome.findUnique({ where: { meterId }, select: { worldId: true, withdrawnAt: true } })).toEqual({ worldId, withdrawnAt: null });
    expect(await queued('telecare')).toBe(1);
    expect(await db.telecareSession.count({ where: { meterId } })).toBe(1);

    expect(await world.telecare.relay.enrol(prove(2, false))).toEqual({ meterId, state: 'withdrawn' });
    expect((await db.telecareHome.findUniqueOrThrow({ where: { meterId } })).withdrawnAt).toBeInstanceOf(Date);
    expect(await db.telecareSession.count({ where: { meterId } })).toBe(0);
    expect(await queued('telecare')).toBe(0);
    expect(await db.dccMessage.count({ where: { meterId, partyId: 'telecare', state: 'dead' } })).toBe(1);
  });

  it('dead-letters at once an uplink its party refuses for good (an answer to nothing in flight), and stores nothing at the party', async () => {
    const db = database.db.client;
    const messageId = bytesToHex(random(16));
    const envelope = encodeEnvelope(
      { messageId, worldId, meterId, partyId: 'supplier', appletId: 'billing', messageClass: 'collect-response', direction: 'uplink', correlationId: bytesToHex(random(16)) },
      random(64),
      (bytes) => signMessage(bytes, device.privateKey),
    );
    const receipts = await db.supplierReceipt.count();
    expect((await world.relay.acceptUplink(envelope)).messageId).toBe(messageId);
    await world.relay.drain({ messageId }); // (the relay may already have tried it in the background)
    const message = await db.dccMessage.findUniqueOrThrow({ where: { id: messageId }, select: { state: true, lastError: true } });
    expect(message.state).toBe('dead');
    expect(message.lastError).toMatch(/^refused by the party: .*(REPLAYED|in flight|unexpected)/i);
    // Refused for good: a later drain does not try it again.
    expect(await world.relay.drain({ messageId })).toEqual({ delivered: 0, failed: 0 });
    expect(await db.supplierReceipt.count()).toBe(receipts);
  });

  it('refuses a replayed proof of consent and changes nothing', async () => {
    await expect(world.telecare.relay.enrol(prove(1, true))).rejects.toThrow(/CONSENT_STALE|not above 2/);
    expect((await database.db.client.telecareHome.findUniqueOrThrow({ where: { meterId } })).withdrawnAt).toBeInstanceOf(Date);
  });
});
