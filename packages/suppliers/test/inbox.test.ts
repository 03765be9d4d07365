// The supplier's inbox and party session against a real database and the real relay, with the
// meter's security domain played by the card-side GlobalPlatform functions: SCP11b set-up through
// the relay, level-33 commands, bills, restart of the supplier (resume), a card that forgot the
// session (re-open), and refusing what must be refused without changing anything.
import { createManufacturerCa, decodeEnvelope, encodeEnvelope, frameApdu, Relay, unframeApdu, type ManufacturerCa, type PartyTransport } from '@hydra/dcc';
import { createTestDatabase, type TestDatabase } from '@hydra/db/testing';
import {
  bytesToHex,
  bytesToUtf8,
  encodeResponseApdu,
  generateKeyPair,
  hexToBytes,
  parseCommandApdu,
  scp03UnwrapCommand,
  scp03WrapResponse,
  scp11CardAuthenticate,
  scp11CardGetCertificates,
  signMessage,
  utf8ToBytes,
  type KeyPair,
  type RoutingHeader,
  type Scp03Session,
  type Scp11CardKeys,
} from '@hydra/globalplatform';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enrolMeter, listBills, listConsentedReads, openKey, pendingPartyCommands, receivePartyResponse, receiveUplink, PartyError, type SupplierContext } from '../src/index';
import { supplierSessionOptions } from '../src/energy-supplier/session';

const random = (n: number) => new Uint8Array(randomBytes(n));
const worldId = 'inbox-test';
const meterId = 'inbox-test-m0001';
const SD_AID = 'f0485944520173757070';

/** A minimal card: the supplier's security domain and a billing applet whose outbox the test fills. */
class Card {
  session: Scp03Session | null = null;
  outbox: unknown[] = [];
  tariffs: unknown[] = [];
  seen: string[] = [];
  constructor(readonly keys: Scp11CardKeys) {}

  answer(apdu: Uint8Array): Uint8Array {
    const plain = parseCommandApdu(apdu);
    if ((plain.cla & 0x04) === 0) {
      this.seen.push(`plain ${plain.ins.toString(16)}`);
      if (plain.ins === 0xa4) return encodeResponseApdu({ data: new Uint8Array(0), sw: 0x9000 });
      if (plain.ins === 0xca) return scp11CardGetCertificates(this.keys, apdu);
      const { state, output } = scp11CardAuthenticate(null, apdu, { keys: this.keys, random });
      this.session = state;
      return output;
    }
    if (!this.session) return encodeResponseApdu({ data: new Uint8Array(0), sw: 0x6982 });
    let command;
    try {
      const unwrapped = scp03UnwrapCommand(this.session, apdu);
      this.session = unwrapped.state;
      command = unwrapped.output;
    } catch {
      return encodeResponseApdu({ data: new Uint8Array(0), sw: 0x6982 });
    }
    this.seen.push(`secured ${command.ins.toString(16)}`);
    let data: Uint8Array = new Uint8Array(0);
    if (command.ins === 0xc0) {
      data = utf8ToBytes(JSON.stringify({ items: this.outbox }));
      this.outbox = [];
    } else if (command.ins === 0xd0) {
      this.tariffs.push(JSON.parse(bytesToUtf8(command.data)));
      data = utf8ToBytes('{}');
    }
    const wrapped = scp03WrapResponse(this.session, { data, sw: 0x9000 });
    this.session = wrapped.state;
    return wrapped.output;
  }
}

describe('energy supplier inbox over SCP11b / SCP03 through the relay', () => {
  let database: TestDatabase;
  let supplier: SupplierContext;
  let relay: Relay;
  let manufacturer: ManufacturerCa;
  let device: KeyPair;
  let card: Card;
  const uplinks: Uint8Array[] = [];

  const newContext = (kek: Uint8Array): SupplierContext => ({
    db: database.db.client,
    kek,
    random,
    relay: { postDownlink: (bytes) => relay.acceptDownlink('supplier', bytes) },
    trustAnchors: [manufacturer.anchor],
    now: () => Date.UTC(2025, 0, 1),
  });

  /** The card's answer to one downlink, as the comms hub would post it. */
  function respond(downlink: Uint8Array, answer: Uint8Array, overrides: Partial<RoutingHeader> = {}): Uint8Array {
    const { header } = decodeEnvelope(downlink);
    const response: RoutingHeader = {
      messageId: bytesToHex(random(16)),
      worldId,
      meterId,
      partyId: 'supplier',
      appletId: header.appletId,
      messageClass: `${header.messageClass}-response`,
      direction: 'uplink',
      correlationId: header.messageId,
      ...overrides,
    };
    return encodeEnvelope(response, frameApdu(answer), (bytes) => signMessage(bytes, device.privateKey));
  }

  /** Runs the hub's wake loop by hand: answer each queued command, post, until quiet (one collect per wake). */
  async function wake(): Promise<string[]> {
    const classes: string[] = [];
    let collected = false;
    for (let round = 0; round < 8; round++) {
      const pending = await relay.pendingDownlinks(worldId, [meterId]);
      const next = pending.find((p) => !(collected && decodeEnvelope(p.envelope).header.messageClass === 'collect'));
      if (!next) break;
      const { header, payload } = decodeEnvelope(next.envelope);
      classes.push(header.messageClass);
      const answer = card.answer(unframeApdu(payload));
      // As the hub does: a collect counts as answered unless the card refused it.
      if (header.messageClass === 'collect' && answer[answer.length - 2] === 0x90) collected = true;
      const bytes = respond(next.envelope, answer);
      uplinks.push(bytes);
      await relay.acceptUplink(bytes);
      await relay.acknowledgeDownlinks(meterId, [next.messageId]);
    }
    return classes;
  }

  async function refused(run: Promise<unknown>): Promise<string> {
    try {
      await run;
    } catch (error) {
      if (error instanceof PartyError) return error.code;
      throw error;
    }
    throw new Error('expected a refusal');
  }

  const tables = async () => ({
    bills: await database.db.client.supplierBill.count(),
    receipts: await database.db.client.supplierReceipt.count(),
    session: bytesToHex((await database.db.client.supplierSession.findUniqueOrThrow({ where: { meterId } })).sealedState),
  });

  const statement = (period: string, amountPence: number) => ({
    messageClass: 'bill-statement',
    body: { statementId: `${period}/t1`, period, amountPence, importWh: 250_000, exportWh: 0 },
  });

  beforeAll(async () => {
    database = await createTestDatabase();
    const db = database.db.client;
    const start = new Date('2025-01-01T00:00:00Z');
    await db.world.create({ data: { id: worldId, name: 'Inbox', seed: 's', homeCount: 1, startDate: '2025-01-01', clock: start, hostProgress: start } });
    // The relay registers only meters of the world's published homes.
    await db.home.create({ data: { id: `${worldId}-h0001`, worldId, index: 0, meterId, archetype: 'family', feederId: 'f1' } });
    manufacturer = createManufacturerCa({ privateKeyHex: bytesToHex(generateKeyPair(random).privateKey), random });
    const transport: PartyTransport = {
      deliver: async (_party, envelope) => (await receiveUplink({ context: supplier, envelope })).status,
      announceMeter: async (_party, a) => void (await enrolMeter({ context: supplier, ...a, startDate: '2025-01-01' })),
      withdrawMeter: async () => undefined,
    };
    relay = new Relay({ db, transport, random, now: () => new Date(), manufacturer });
    supplier = newContext(random(32));
    await relay.registerParty({ id: 'supplier', name: 'Supplier', role: 'supplier', publicKey: null });
    device = generateKeyPair(random);
    const domain = generateKeyPair(random);
    const { certificates } = await relay.registerMeter({ worldId, meterId, devicePublicKey: bytesToHex(device.publicKey), domains: [{ partyId: 'supplier', aid: SD_AID, publicKey: bytesToHex(domain.publicKey) }] });
    card = new Card({ keyVersion: 1, sdPrivateKey: domain.privateKey, sdCertificates: (certificates.domains[0]?.certificates ?? []).map(hexToBytes), oceTrustAnchors: [] });
  });
  afterAll(async () => database?.dispose());

  it('opens SCP11b through the relay (SELECT, GET DATA BF21, INTERNAL AUTHENTICATE), then selects billing and sends the tariff and the collect wrapped', async () => {
    expect(await wake()).toEqual(['session-setup', 'session-setup', 'session-setup', 'applet-command', 'set-tariff', 'collect']);
    expect(card.seen).toEqual(['plain a4', 'plain ca', 'plain 88', 'secured a4', 'secured d0', 'secured c0']);
    expect(card.tariffs).toEqual([expect.objectContaining({ name: 'set-tariff', body: { tariff: expect.objectContaining({ kind: 'flat', unitRate: 24500, standingCharge: 60990 }) } })]);
    // The re-armed collect waits at the relay for the next wake.
    const pending = await relay.pendingDownlinks(worldId, [meterId]);
    expect(pending.map((p) => decodeEnvelope(p.envelope).header.messageClass)).toEqual(['collect']);
  });

  it('stores a bill from the collect response (R-MAC verified, R-ENC removed) and re-arms the collect', async () => {
    card.outbox.push(statement('2025-01', 8123));
    const before = await database.db.client.supplierAccount.findUniqueOrThrow({ where: { meterId } });
    expect(await wake()).toEqual(['collect']);
    expect(await listBills({ context: supplier, worldId })).toEqual([expect.objectContaining({ meterId, period: '2025-01', amountPence: 8123, importWh: 250_000, standingPence: 1891 })]);
    const after = await database.db.client.supplierAccount.findUniqueOrThrow({ where: { meterId } });
    expect(after.pendingCollectId).toMatch(/^[0-9a-f]{32}$/);
    expect(after.pendingCollectId).not.toBe(before.pendingCollectId);
  });

  it('keeps its session sealed under its KEK: the row alone opens nothing', async () => {
    const row = await database.db.client.supplierSession.findUniqueOrThrow({ where: { meterId } });
    expect(() => openKey(random(32), `supplier-session|${meterId}`, Uint8Array.from(row.sealedState))).toThrow();
    const state = JSON.parse(bytesToUtf8(openKey(supplier.kek, `supplier-session|${meterId}`, Uint8Array.from(row.sealedState)))) as { phase: string; session: { securityLevel: number } };
    expect(state.phase).toBe('open');
    expect(state.session.securityLevel).toBe(0x33);
    expect(Buffer.from(row.sealedState).toString('latin1')).not.toContain('sMac');
  });

  it('resumes the session after a supplier restart (new context, same database and KEK): no new set-up', async () => {
    supplier = newContext(supplier.kek);
    card.seen = [];
    card.outbox.push(statement('2025-02', 7000));
    expect(await wake()).toEqual(['collect']);
    expect(card.seen).toEqual(['secured c0']);
    expect((await listBills({ context: supplier, worldId })).map((b) => b.period)).toEqual(['2025-01', '2025-02']);
  });

  it('re-opens cleanly when the card no longer knows the session (6982), and re-sends the collect', async () => {
    card.session = null;
    card.seen = [];
    card.outbox.push(statement('2025-03', 6000));
    expect(await wake()).toEqual(['collect', 'session-setup', 'session-setup', 'session-setup', 'applet-command', 'collect']);
    expect(card.seen).toEqual(['plain a4', 'plain ca', 'plain 88', 'secured a4', 'secured c0']);
    expect((await listBills({ context: supplier, worldId })).map((b) => b.period)).toEqual(['2025-01', '2025-02', '2025-03']);
  });

  it('takes an answer and what it carries in one transaction: a failure storing the bill leaves the session where it was', async () => {
    const [collect] = await relay.pendingDownlinks(worldId, [meterId]);
    if (!collect) throw new Error('no collect armed');
    card.outbox.push(statement('2025-05', 5555));
    const good = respond(collect.envelope, card.answer(unframeApdu(decodeEnvelope(collect.envelope).payload)));
    await relay.acknowledgeDownlinks(meterId, [collect.messageId]);
    const { header, payload } = decodeEnvelope(good);
    const before = await tables();
    const options = supplierSessionOptions(supplier);
    const sessionBefore = bytesToUtf8(openKey(supplier.kek, `supplier-session|${meterId}`, hexToBytes(before.session)));
    // As if the process died while storing the bill: the transaction rolls back.
    await expect(receivePartyResponse(options, header, payload, async () => Promise.reject(new Error('killed')))).rejects.toThrow('killed');
    const after = await tables();
    expect(bytesToUtf8(openKey(supplier.kek, `supplier-session|${meterId}`, hexToBytes(after.session)))).toBe(sessionBefore);
    expect(after.bills).toBe(before.bills);
    // The relay's redelivery is then taken as if for the first time.
    expect(await receiveUplink({ context: supplier, envelope: good })).toEqual({ status: 'accepted', bills: 1, reads: 0 });
    expect((await listBills({ context: supplier, worldId })).map((b) => b.period)).toContain('2025-05');
    expect(await pendingPartyCommands(options, meterId)).toEqual([expect.objectContaining({ messageClass: 'collect' })]);
  });

  it('answers a byte-identical redelivery "already delivered" and stores nothing twice', async () => {
    const last = uplinks[uplinks.length - 1];
    if (!last) throw new Error('no uplink');
    const before = await tables();
    expect(await receiveUplink({ context: supplier, envelope: last })).toEqual({ status: 'already-delivered', bills: 0, reads: 0 });
    expect(await tables()).toEqual(before);
  });

  it('refuses tampered, replayed, misrouted and malformed uplinks and changes nothing', async () => {
    const pending = await relay.pendingDownlinks(worldId, [meterId]);
    const collect = pending[0];
    if (!collect) throw new Error('no collect armed');
    card.outbox.push(statement('2025-04', 9999));
    const good = respond(collect.envelope, card.answer(unframeApdu(decodeEnvelope(collect.envelope).payload)));
    const before = await tables();
    const { header, payload } = decodeEnvelope(good);
    const apdu = unframeApdu(payload);
    const flipped = apdu.slice();
    flipped[3] = (flipped[3] ?? 0) ^ 1;
    const tampered = encodeEnvelope({ ...header, messageId: bytesToHex(random(16)) }, frameApdu(flipped), (bytes) => signMessage(bytes, device.privateKey));
    expect(await refused(receiveUplink({ context: supplier, envelope: tampered }))).toBe('AUTHENTICATION_FAILED');
    expect(await refused(receiveUplink({ context: supplier, envelope: respond(collect.envelope, apdu, { partyId: 'dno' }) }))).toBe('MISROUTED');
    expect(await refused(receiveUplink({ context: supplier, envelope: random(300) }))).toBe('MALFORMED');
    expect(await refused(receiveUplink({ context: supplier, envelope: good.slice(0, 40) }))).toBe('MALFORMED');
    expect(await tables()).toEqual(before);
    await relay.acceptUplink(good);
    const afterGood = await tables();
    expect(afterGood.bills).toBe(before.bills + 1);
    // The same response again under a new message id answers nothing in flight: a replay.
    const replay = encodeEnvelope({ ...header, messageId: bytesToHex(random(16)) }, frameApdu(apdu), (bytes) => signMessage(bytes, device.privateKey));
    expect(await refused(receiveUplink({ context: supplier, envelope: replay }))).toBe('REPLAYED');
    // The same message id with other bytes.
    const reused = encodeEnvelope(header, frameApdu(flipped), (bytes) => signMessage(bytes, device.privateKey));
    expect(await refused(receiveUplink({ context: supplier, envelope: reused }))).toBe('REPLAYED');
    expect(await tables()).toEqual(afterGood);
  });
  it('stores the daily and half-hourly reads a householder shared, once each; a collect carrying anything outside the contract stores nothing', async () => {
    const halfHours = Array.from({ length: 48 }, (_, i) => 100 + i);
    card.outbox.push(
      { messageClass: 'consented-reads', body: { date: '2025-06-01', resolution: 'daily', importWh: 8123, exportWh: 0 } },
      { messageClass: 'consented-reads', body: { date: '2025-06-02', resolution: 'half-hourly', importWh: halfHours, exportWh: new Array(48).fill(0) } },
      { messageClass: 'tariff-ack', body: { tariffId: 't1', result: 'applied', reason: null } },
    );
    expect(await wake()).toEqual(['collect']);
    expect(await listConsentedReads({ context: supplier, worldId, meterId })).toEqual([
      expect.objectContaining({ meterId, date: '2025-06-02', resolution: 'half-hourly', importWh: halfHours }),
      expect.objectContaining({ meterId, date: '2025-06-01', resolution: 'daily', importWh: [8123], exportWh: [0] }),
    ]);
    // The same day again (a card re-sending after a lost answer) is not stored twice.
    card.outbox.push({ messageClass: 'consented-reads', body: { date: '2025-06-01', resolution: 'daily', importWh: 1, exportWh: 0 } });
    expect(await wake()).toEqual(['collect']);
    expect((await listConsentedReads({ context: supplier, worldId })).find((r) => r.date === '2025-06-01')?.importWh).toEqual([8123]);
    // A collect carrying a class the billing applet may not send: nothing from it is stored (the codec's unit test covers the rest).
    const before = await database.db.client.supplierConsentedRead.count();
    card.outbox.push({ messageClass: 'consented-reads', body: { date: '2025-06-03', resolution: 'daily', importWh: 5, exportWh: 0 } }, { messageClass: 'raw-reads', body: { all: [1, 2] } });
    expect(await wake()).toEqual(['collect']);
    expect(await database.db.client.supplierConsentedRead.count()).toBe(before);
    expect((await database.db.client.supplierReceipt.findFirst({ orderBy: { receivedAt: 'desc' } }))?.outcome).toBe('collect:malformed');
  });
});
