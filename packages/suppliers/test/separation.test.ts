// DESIGN.md Decision 8, the threat model: a party — or the DCC — with read access to every table
// and every captured message, but without another party's key-encryption key, opens nothing of that
// party's. A populated database is built the real way (relay, comms hub, the three backends, meters
// playing each party's security domain with the published applets: bills, power-quality events,
// feeder shares, a load-control campaign, a telecare enrolment and alert), every envelope the hub
// carried is captured, and then each party's code is turned on everything that is not its own.
import { londonMidnight, type DbClient, type DbTransaction } from '@hydra/db';
import { createTestDatabase, type TestDatabase } from '@hydra/db/testing';
import { createConsentProof, decodeEnvelope, unframeApdu } from '@hydra/dcc';
import { bytesToHex, bytesToUtf8, ChannelAuthenticationError, hexToBytes, parseCommandApdu, parseResponseApdu, signMessage, uintToBytes, unpad80, utf8ToBytes } from '@hydra/globalplatform';
import { cbc, ecb } from '@noble/ciphers/aes.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  canonicalJson,
  createCampaign,
  enrolHome,
  listBills,
  loadChannelKey,
  loadCommandKey,
  openKey,
  PartyError,
  pendingPartyCommands,
  receiveDnoUplink,
  receiveTelecareUplink,
  receiveUplink,
  type PartyContext,
} from '../src/index';
import { partySessionOptions, type SessionTable } from '../src/shared/session-store';
import { createLab, random, type Lab } from './support/lab';
import { addDays, metrologyDay } from './support/metrology';

type Party = 'supplier' | 'dno' | 'telecare';
const PARTIES: Party[] = ['supplier', 'dno', 'telecare'];
const worldId = 'sep-test';
const startDate = '2025-01-27';

/** Plaintext that passed through the channels (not routing metadata such as the class `set-tariff`): only its party may read it. */
const MARKERS: Record<Party, string[]> = {
  supplier: ['bill-statement', 'standingCharge', 'unitRate', 'amountPence'],
  dno: ['power-quality-event', 'feeder-shares', 'load-control-ack', 'dnoKey', 'randomisationSeconds'],
  telecare: ['wellbeing-alert', 'no-activity-by-deadline'],
};

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Tries to open one SCP03 C-DECRYPTION / R-ENCRYPTION body (GP Amendment D §6.2.6, §6.2.7) with a
 * session encryption key, at every counter up to `maxCounter`: the plaintext, or null.
 */
function tryOpen(sEncHex: string, maxCounter: number, body: Uint8Array, response: boolean): string | null {
  if (body.length === 0 || body.length % 16 !== 0) return null;
  const sEnc = hexToBytes(sEncHex);
  for (let counter = 1; counter <= maxCounter; counter++) {
    const block = uintToBytes(counter, 16);
    if (response) block[0] = 0x80;
    const icv = ecb(sEnc, { disablePadding: true }).encrypt(block);
    const plain = unpad80(cbc(sEnc, icv, { disablePadding: true }).decrypt(body));
    if (!plain) continue;
    try {
      const text = strictUtf8.decode(plain);
      JSON.parse(text);
      return text;
    } catch {
      // Not this counter.
    }
  }
  return null;
}

/** The encrypted body of a captured envelope's secured APDU (MAC stripped), or null when plain. */
function securedBody(bytes: Uint8Array): { body: Uint8Array; response: boolean } | null {
  const { header, payload } = decodeEnvelope(bytes);
  const apdu = unframeApdu(payload);
  if (header.direction === 'downlink') {
    const command = parseCommandApdu(apdu);
    if ((command.cla & 0x04) === 0 || command.data.length <= 8) return null;
    return { body: command.data.subarray(0, command.data.length - 8), response: false };
  }
  const response = parseResponseApdu(apdu);
  if (response.data.length <= 8 || /^session-setup/.test(header.messageClass)) return null;
  return { body: response.data.subarray(0, response.data.length - 8), response: true };
}

describe('three-party separation under the Decision 8 threat model', () => {
  let database: TestDatabase;
  let lab: Lab;
  const clock = londonMidnight(startDate).getTime();
  const contexts = (): Record<Party, PartyContext> => ({ supplier: lab.supplier, dno: lab.dno, telecare: lab.telecare });
  const sessionTable =
    (party: Party) =>
    (db: DbClient | DbTransaction): SessionTable => {
      if (party === 'supplier') return db.supplierSession;
      return party === 'dno' ? db.dnoSession : db.telecareSession;
    };

  /** Every sealed row at rest, with its owner and the id it is sealed for. */
  const sealedRows = async () => {
    const db = database.db.client;
    const rows: { owner: Party; id: string; sealed: Uint8Array }[] = [];
    for (const row of await db.supplierKey.findMany()) rows.push({ owner: 'supplier', id: row.id, sealed: Uint8Array.from(row.sealedKey) });
    for (const row of await db.dnoKey.findMany()) rows.push({ owner: 'dno', id: row.id, sealed: Uint8Array.from(row.sealedKey) });
    for (const row of await db.supplierSession.findMany()) rows.push({ owner: 'supplier', id: `supplier-session|${row.meterId}`, sealed: Uint8Array.from(row.sealedState) });
    for (const row of await db.dnoSession.findMany()) rows.push({ owner: 'dno', id: `dno-session|${row.meterId}`, sealed: Uint8Array.from(row.sealedState) });
    for (const row of await db.telecareSession.findMany()) rows.push({ owner: 'telecare', id: `telecare-session|${row.meterId}`, sealed: Uint8Array.from(row.sealedState) });
    return rows;
  };

  /** The SCP03 session keys a party obtains with its own KEK from the rows it can open. */
  const sessionKeysOf = async (party: Party, kek: Uint8Array) => {
    const keys: { sEnc: string; sMac: string; counter: number }[] = [];
    for (const row of await sealedRows()) {
      if (!row.id.includes('-session|')) continue;
      let state: { session?: { keys: { sEnc: string; sMac: string }; encryptionCounter: number } | null };
      try {
        state = JSON.parse(bytesToUtf8(openKey(kek, row.id, row.sealed))) as typeof state;
      } catch {
        continue;
      }
      if (party !== row.owner) throw new Error(`${party} opened a row of ${row.owner}`);
      if (state.session) keys.push({ sEnc: state.session.keys.sEnc, sMac: state.session.keys.sMac, counter: state.session.encryptionCounter });
    }
    return keys;
  };

  beforeAll(async () => {
    database = await createTestDatabase();
    lab = await createLab({
      db: database.db.client,
      worldId,
      startDate,
      homes: Array.from({ length: 5 }, () => ({ feederId: 'sep-test-f1' })),
      parties: ['supplier', 'dno', 'telecare'],
      applets: ['billing', 'power-quality', 'aggregation', 'load-control', 'telecare'],
      now: () => clock,
    });
    const householder = (await import('@hydra/globalplatform')).generateKeyPair(random);
    for (const meter of lab.meters) {
      meter.applet('telecare').command('personalise', { householderKey: bytesToHex(householder.publicKey), meterId: meter.state.meterId });
    }
    // Home 1 consents to telecare and its meter's proof enrols it.
    const home = lab.meters[0];
    if (!home) throw new Error('no meter');
    const consent = { service: 'telecare', meterId: home.state.meterId, sequence: 1, learningWeeks: 1 };
    home.applet('telecare').command('consent', { consent, signature: bytesToHex(signMessage(utf8ToBytes(canonicalJson(consent)), householder.privateKey)) });
    await enrolHome({ context: lab.telecare, proof: createConsentProof({ worldId, meterId: home.state.meterId, partyId: 'telecare', appletId: 'telecare', sequence: 1, admitted: true }, (bytes) => home.sign(bytes)) });
    // Tariffs, command keys and first collects, then eight days (into February: January's bills), a
    // sag, a quiet morning at the consenting home, and a load-control campaign.
    await lab.wake(2);
    for (let d = 0; d < 8; d++) {
      const date = addDays(startDate, d);
      const dayStart = londonMidnight(date).getTime();
      for (const [i, meter] of lab.meters.entries()) {
        const quiet = i === 0 && d === 7;
        meter.feed(
          metrologyDay(date, {
            importWh: (t) => 150 + 20 * i + (t % 7) * 11,
            voltageExcursions: i === 1 && d === 2 ? [{ startUtc: dayStart + 8 * 3_600_000, durationSeconds: 12, extremeV: 205 }] : [],
            activity: quiet ? [] : [{ minute: 420, durationMinutes: 20, watts: 2000 }, { minute: 1080, durationMinutes: 200, watts: 150 }],
          }),
        );
      }
    }
    await createCampaign({ context: lab.dno, request: { worldId, device: 'ev', action: 'off', limitKw: 0, start: new Date(clock + 86_400_000).toISOString(), durationSeconds: 3600, randomisationSeconds: 300, feederId: 'sep-test-f1' } });
    await lab.wake(3);
  }, 300_000);
  afterAll(async () => database?.dispose());

  it('the database is populated the real way: bills, events, feeder load, acknowledgements, an alert, sessions, keys, captured envelopes', async () => {
    const db = database.db.client;
    expect((await listBills({ context: lab.supplier, worldId })).map((b) => b.period)).toEqual(Array(5).fill('2025-01'));
    expect(await db.dnoPowerQualityEvent.count()).toBe(1);
    expect(await db.dnoFeederLoad.count({ where: { totalWh: { not: null } } })).toBeGreaterThan(0);
    expect(await db.dnoCampaignTarget.count({ where: { state: 'applied' } })).toBe(5);
    expect(await db.telecareAlert.count()).toBe(1);
    expect(await db.supplierSession.count()).toBe(5);
    expect(await db.dnoSession.count()).toBe(5);
    expect(await db.telecareSession.count()).toBe(1);
    for (const party of PARTIES) expect(lab.captured.filter((c) => decodeEnvelope(c.bytes).header.partyId === party).length).toBeGreaterThan(10);
  });

  it('every sealed key and session opens under its owner’s KEK and under no other party’s — nor any KEK the DCC could hold', async () => {
    const rows = await sealedRows();
    expect(new Set(rows.map((r) => r.owner))).toEqual(new Set(PARTIES));
    const keks = { supplier: lab.supplier.kek, dno: lab.dno.kek, telecare: lab.telecare.kek };
    for (const row of rows) {
      expect(() => openKey(keks[row.owner], row.id, row.sealed)).not.toThrow();
      for (const party of PARTIES.filter((p) => p !== row.owner)) expect(() => openKey(keks[party], row.id, row.sealed)).toThrow(ChannelAuthenticationError);
      // The DCC holds no KEK at all: neither a zero key nor a guessed one opens anything.
      expect(() => openKey(new Uint8Array(32), row.id, row.sealed)).toThrow(ChannelAuthenticationError);
      expect(() => openKey(random(32), row.id, row.sealed)).toThrow(ChannelAuthenticationError);
    }
  });

  it('each party’s own code, pointed at another party’s session table, opens nothing', async () => {
    const ctx = contexts();
    for (const party of PARTIES) {
      for (const other of PARTIES.filter((p) => p !== party)) {
        const meterIds = (await sealedRows()).filter((r) => r.owner === other && r.id.includes('-session|')).map((r) => r.id.split('|')[1] ?? '');
        expect(meterIds.length).toBeGreaterThan(0);
        // The attacker's session code with its own KEK over the victim's rows (and, for good measure, the victim's party id).
        for (const asParty of [party, other]) {
          const options = partySessionOptions(asParty, ctx[party], sessionTable(other));
          for (const meterId of meterIds) await expect(pendingPartyCommands(options, meterId)).rejects.toThrow(ChannelAuthenticationError);
        }
      }
      // Its own opens (the control).
      const own = (await sealedRows()).find((r) => r.owner === party && r.id.includes('-session|'));
      await expect(pendingPartyCommands(partySessionOptions(party, ctx[party], sessionTable(party)), own?.id.split('|')[1] ?? '')).resolves.toBeInstanceOf(Array);
    }
  });

  it('with the session keys its KEK yields, each party decrypts its own captured traffic and none of the others’; the DCC, with no key, reads no plaintext in any envelope', async () => {
    const keks = { supplier: lab.supplier.kek, dno: lab.dno.kek, telecare: lab.telecare.kek };
    const secured = lab.captured.flatMap((c) => {
      const body = securedBody(c.bytes);
      return body ? [{ party: decodeEnvelope(c.bytes).header.partyId as Party, ...body }] : [];
    });
    for (const party of PARTIES) {
      const keys = await sessionKeysOf(party, keks[party]);
      expect(keys.length).toBeGreaterThan(0);
      const opened: { party: Party; text: string }[] = [];
      for (const message of secured) {
        for (const key of keys) {
          const text = tryOpen(key.sEnc, key.counter, message.body, message.response);
          if (text !== null) opened.push({ party: message.party, text });
        }
      }
      // The control: its own traffic opens with its keys, and carries its own plaintext.
      expect(opened.filter((o) => o.party === party).length).toBeGreaterThan(0);
      expect(opened.every((o) => o.party === party)).toBe(true);
      const ownText = opened.map((o) => o.text).join('\n');
      // …including the very markers the wire and the relay's tables are searched for below.
      expect(MARKERS[party].filter((marker) => ownText.includes(marker)).length, `${party} reads its own plaintext`).toBeGreaterThan(0);
    }
    // The DCC's view: every envelope's bytes, and every row of its own tables — no plaintext marker.
    const relayTables = JSON.stringify(await Promise.all([
      database.db.client.dccMessage.findMany(),
      database.db.client.dccRefusal.findMany(),
      database.db.client.dccEnrolment.findMany(),
      database.db.client.dccSecurityDomain.findMany(),
      database.db.client.dccParty.findMany(),
    ]), (_key, value: unknown) => (value instanceof Uint8Array ? bytesToHex(value) : value));
    const wire = lab.captured.map((c) => Buffer.from(c.bytes).toString('latin1')).join('\n');
    for (const marker of Object.values(MARKERS).flat()) {
      expect(wire, `"${marker}" on the wire`).not.toContain(marker);
      expect(relayTables, `"${marker}" in the relay's tables`).not.toContain(marker);
    }
    // Delivered messages keep no sealed bytes at the relay.
    expect(await database.db.client.dccMessage.count({ where: { state: 'delivered', NOT: { envelope: null } } })).toBe(0);
  });

  it('no table holds a key or session secret in plain: not the parties’ private keys, not any SCP03 session key', async () => {
    const db = database.db.client;
    const dump = JSON.stringify(
      await Promise.all([
        db.world.findMany(), db.home.findMany(), db.dccMeter.findMany(), db.dccParty.findMany(), db.dccSecurityDomain.findMany(), db.dccMessage.findMany(), db.dccRefusal.findMany(), db.dccEnrolment.findMany(),
        db.supplierKey.findMany(), db.supplierAccount.findMany(), db.supplierSession.findMany(), db.supplierTariff.findMany(), db.supplierBill.findMany(), db.supplierReceipt.findMany(),
        db.dnoKey.findMany(), db.dnoMeter.findMany(), db.dnoSession.findMany(), db.dnoPowerQualityEvent.findMany(), db.dnoFeederShare.findMany(), db.dnoFeederLoad.findMany(), db.dnoCampaign.findMany(), db.dnoCampaignTarget.findMany(), db.dnoReceipt.findMany(), db.dnoAggregationKey.findMany(), db.dnoFeederRoster.findMany(),
        db.telecareHome.findMany(), db.telecareSession.findMany(), db.telecareAlert.findMany(), db.telecareReceipt.findMany(), db.conventionalRead.findMany(),
      ]),
      (_key, value: unknown) => (value instanceof Uint8Array ? bytesToHex(value) : value),
    );
    const secrets = [bytesToHex((await loadChannelKey(lab.supplier)).privateKey), bytesToHex((await loadCommandKey(lab.dno)).privateKey)];
    // The aggregation keys' private halves and the pair secrets stay on the meters (the DNO holds public keys only).
    for (const meter of lab.meters) {
      const aggregation = meter.applet('aggregation').storage;
      secrets.push(String(aggregation.get('privateKey')));
      for (const peer of (aggregation.get('membership') as { peers: { secret: string }[] }).peers) secrets.push(peer.secret);
    }
    for (const party of PARTIES) for (const key of await sessionKeysOf(party, { supplier: lab.supplier.kek, dno: lab.dno.kek, telecare: lab.telecare.kek }[party])) secrets.push(key.sEnc, key.sMac);
    expect(secrets.length).toBeGreaterThan(10);
    for (const secret of secrets) expect(dump).not.toContain(secret);
  });

  it('each party’s inbox refuses another party’s captured uplinks and changes nothing', async () => {
    const db = database.db.client;
    const counts = async () => JSON.stringify(await Promise.all([db.supplierBill.count(), db.supplierReceipt.count(), db.dnoReceipt.count(), db.dnoPowerQualityEvent.count(), db.telecareReceipt.count(), db.telecareAlert.count()]));
    const before = await counts();
    const inbox = { supplier: (envelope: Uint8Array) => receiveUplink({ context: lab.supplier, envelope }), dno: (envelope: Uint8Array) => receiveDnoUplink({ context: lab.dno, envelope }), telecare: (envelope: Uint8Array) => receiveTelecareUplink({ context: lab.telecare, envelope }) };
    for (const party of PARTIES) {
      const others = lab.captured.filter((c) => c.direction === 'uplink' && decodeEnvelope(c.bytes).header.partyId !== party).slice(-20);
      expect(others.length).toBeGreaterThan(0);
      for (const captured of others) {
        const error = await inbox[party](captured.bytes).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(PartyError);
        expect((error as PartyError).code).toBe('MISROUTED');
      }
    }
    expect(await counts()).toBe(before);
  });
});
