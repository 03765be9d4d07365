// The supplier's inbox against a real database and the real relay, with the meter's end of the
// channel played by the card-side channel code: enrolment, opening bills, and refusing what it
// must refuse without changing anything.
import { Relay, decodeEnvelope, encodeEnvelope, type PartyTransport } from '@hydra/dcc';
import { createTestDatabase, type TestDatabase } from '@hydra/db/testing';
import {
  bytesToHex,
  createEcdhChannel,
  decodePayload,
  encodePayload,
  generateKeyPair,
  routingHeaderAad,
  signMessage,
  type KeyPair,
  type RoutingHeader,
} from '@hydra/globalplatform';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enrolMeter, listBills, loadChannelKey, openKey, receiveUplink, SupplierError, type SupplierContext } from '../src/index';

const random = (n: number) => new Uint8Array(randomBytes(n));
const worldId = 'inbox-test';
const meterId = 'inbox-test-m0001';

describe('energy supplier inbox', () => {
  let database: TestDatabase;
  let supplier: SupplierContext;
  let relay: Relay;
  let device: KeyPair;
  let domain: KeyPair;
  let supplierPublic: Uint8Array;

  const card = () =>
    createEcdhChannel({ role: 'card', privateKey: domain.privateKey, peerPublicKey: supplierPublic, context: `${meterId}/supplier`, random });

  /** What the meter sends back for a collect: a sealed response carrying its outbox. */
  function response(items: unknown[], overrides: Partial<RoutingHeader> = {}, correlationId?: string) {
    const header: RoutingHeader = {
      messageId: bytesToHex(random(16)),
      worldId,
      meterId,
      partyId: 'supplier',
      appletId: 'billing',
      messageClass: 'collect-response',
      direction: 'uplink',
      ...(correlationId ? { correlationId } : {}),
      ...overrides,
    };
    const sealed = card().seal(encodePayload({ command: 'collect', response: { status: 0x9000, items } as never }), routingHeaderAad(header));
    return encodeEnvelope(header, sealed, (bytes) => signMessage(bytes, device.privateKey));
  }

  const statement = (period: string, amountPence: number) => ({
    messageClass: 'bill-statement',
    body: { statementId: `${period}/t1`, period, amountPence, importWh: 250_000, exportWh: 0 },
  });

  async function refused(run: Promise<unknown>): Promise<string> {
    try {
      await run;
    } catch (error) {
      if (error instanceof SupplierError) return error.code;
      throw error;
    }
    throw new Error('expected a refusal');
  }

  const tables = async () => ({
    bills: await database.db.client.supplierBill.count(),
    receipts: await database.db.client.supplierReceipt.count(),
  });

  beforeAll(async () => {
    database = await createTestDatabase();
    const db = database.db.client;
    const start = new Date('2025-01-01T00:00:00Z');
    await db.world.create({ data: { id: worldId, name: 'Inbox', seed: 's', homeCount: 1, startDate: '2025-01-01', clock: start, hostProgress: start } });
    // The relay registers only meters of the world's published homes.
    await db.home.create({ data: { id: `${worldId}-h0001`, worldId, index: 0, meterId, archetype: 'family', feederId: 'f1' } });
    const transport: PartyTransport = {
      deliver: async (_party, envelope) => (await receiveUplink({ context: supplier, envelope })).status,
      announceMeter: async (_party, a) => void (await enrolMeter({ context: supplier, ...a, startDate: '2025-01-01' })),
    };
    relay = new Relay({ db, transport, random, now: () => new Date() });
    supplier = { db, kek: random(32), random, relay: { postDownlink: (bytes) => relay.acceptDownlink('supplier', bytes) } };
    supplierPublic = (await loadChannelKey(supplier)).publicKey;
    await relay.registerParty({ id: 'supplier', name: 'Supplier', role: 'supplier', publicKey: supplierPublic });
    device = generateKeyPair(random);
    domain = generateKeyPair(random);
    await relay.registerMeter({ worldId, meterId, devicePublicKey: bytesToHex(device.publicKey), domains: [{ partyId: 'supplier', aid: 'A000000151535550', publicKey: bytesToHex(domain.publicKey) }] });
  });
  afterAll(async () => database?.dispose());

  it('enrols the announced meter: account, then a sealed tariff and a standing collect the meter can open', async () => {
    const account = await database.db.client.supplierAccount.findUniqueOrThrow({ where: { meterId } });
    expect(account.pendingCollectId).toMatch(/^[0-9a-f]{32}$/);
    const pending = await relay.pendingDownlinks(worldId, [meterId]);
    const opened = pending.map((p) => {
      const envelope = decodeEnvelope(p.envelope);
      return { class: envelope.header.messageClass, document: decodePayload(card().open(envelope.payload, routingHeaderAad(envelope.header))) };
    });
    expect(opened.map((o) => o.class)).toEqual(['set-tariff', 'collect']);
    expect(opened[0]!.document).toMatchObject({ command: 'set-tariff', body: { tariff: { kind: 'flat', unitRate: 24500, standingCharge: 60990 } } });
  });

  it('keeps its channel key sealed under its KEK: the row alone does not give the key', async () => {
    const row = await database.db.client.supplierKey.findFirstOrThrow();
    expect(() => openKey(random(32), row.id, Uint8Array.from(row.sealedKey))).toThrow();
    expect(bytesToHex(openKey(supplier.kek, row.id, Uint8Array.from(row.sealedKey)))).toHaveLength(64);
  });

  it('stores a bill from a sealed statement and re-arms the collect', async () => {
    const account = await database.db.client.supplierAccount.findUniqueOrThrow({ where: { meterId } });
    const result = await relay.acceptUplink(response([statement('2025-01', 8123)], {}, account.pendingCollectId ?? undefined));
    expect(result.status).toBe('accepted');
    const bills = await listBills({ context: supplier, worldId });
    expect(bills).toEqual([expect.objectContaining({ meterId, period: '2025-01', amountPence: 8123, importWh: 250_000, standingPence: 1891 })]);
    const rearmed = await database.db.client.supplierAccount.findUniqueOrThrow({ where: { meterId } });
    expect(rearmed.pendingCollectId).not.toBe(account.pendingCollectId);
    expect(rearmed.pendingCollectId).toMatch(/^[0-9a-f]{32}$/);
  });

  it('answers a byte-identical redelivery "already delivered" and stores nothing twice', async () => {
    const bytes = response([statement('2025-02', 7000)]);
    expect((await receiveUplink({ context: supplier, envelope: bytes })).status).toBe('accepted');
    const before = await tables();
    expect(await receiveUplink({ context: supplier, envelope: bytes })).toEqual({ status: 'already-delivered', bills: 0 });
    expect(await tables()).toEqual(before);
  });

  it('dedupes a statement resent in a new message by the statement id inside the sealed payload', async () => {
    const before = await tables();
    await receiveUplink({ context: supplier, envelope: response([statement('2025-02', 7000)]) });
    const after = await tables();
    expect(after.bills).toBe(before.bills);
    expect(after.receipts).toBe(before.receipts + 1);
  });

  it('refuses tampered, replayed, misrouted and malformed uplinks and changes nothing', async () => {
    const before = await tables();
    const good = response([statement('2025-03', 9999)]);
    const tampered = good.slice();
    tampered[tampered.length - 80]! ^= 1;
    expect(await refused(receiveUplink({ context: supplier, envelope: tampered }))).toBe('AUTHENTICATION_FAILED');
    const header = decodeEnvelope(good).header;
    await receiveUplink({ context: supplier, envelope: good });
    const afterGood = await tables();
    const replay = response([statement('2025-04', 1)], { messageId: header.messageId });
    expect(await refused(receiveUplink({ context: supplier, envelope: replay }))).toBe('REPLAYED');
    expect(await refused(receiveUplink({ context: supplier, envelope: response([], { partyId: 'dno' }) }))).toBe('MISROUTED');
    expect(await refused(receiveUplink({ context: supplier, envelope: random(300) }))).toBe('MALFORMED');
    expect(await refused(receiveUplink({ context: supplier, envelope: good.slice(0, 40) }))).toBe('MALFORMED');
    const forged = response([{ messageClass: 'bill-statement', body: { statementId: 'x', period: '2025-13', amountPence: 1, importWh: 1, exportWh: 0 } }]);
    await expect(receiveUplink({ context: supplier, envelope: forged })).rejects.toThrow();
    expect(afterGood.bills).toBe(before.bills + 1);
    expect(await tables()).toEqual(afterGood);
  });

  it('cannot open a statement sealed for another party key (a stranger holding the meter key pair’s public half)', async () => {
    const stranger = generateKeyPair(random);
    const header: RoutingHeader = { messageId: bytesToHex(random(16)), worldId, meterId, partyId: 'supplier', appletId: 'billing', messageClass: 'collect-response', direction: 'uplink' };
    const wrong = createEcdhChannel({ role: 'card', privateKey: domain.privateKey, peerPublicKey: stranger.publicKey, context: `${meterId}/supplier`, random });
    const sealed = wrong.seal(encodePayload({ command: 'collect', response: { status: 0x9000, items: [] } }), routingHeaderAad(header));
    const envelope = encodeEnvelope(header, sealed, (bytes) => signMessage(bytes, device.privateKey));
    expect(await refused(receiveUplink({ context: supplier, envelope }))).toBe('AUTHENTICATION_FAILED');
  });
});
