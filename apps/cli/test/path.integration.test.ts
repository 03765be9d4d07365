// The whole path headless, against a real database: several homes for a month through
// meter (SES compartments in worker threads) → relay → supplier. Each bill is checked against an
// independent computation from the same readings, and the relay is checked to hold no amount.
import { createTestDatabase, type TestDatabase } from '@hydra/db/testing';
import { bytesToHex, utf8ToBytes } from '@hydra/globalplatform';
import { createHomeProfile, datesBetween, meterIdOf, simulateHomeDay } from '@hydra/meter-sim';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runWorld, type RunWorldResult } from '../src/run-world';

const random = (n: number) => new Uint8Array(randomBytes(n));
const HOMES = 6;
const SEED = 'integration-seed';

/** The bill the flat price-cap tariff gives, computed here from the household model directly. */
function expectedBill(index: number): { amountPence: number; importWh: number } {
  const profile = createHomeProfile(SEED, index);
  let importWh = 0;
  const days = datesBetween('2025-01-01', '2025-02-01');
  for (const date of days) for (const wh of simulateHomeDay(profile, date).importWh) importWh += wh;
  const microPence = importWh * 24_500 + days.length * 60_990 * 1000;
  return { amountPence: Math.floor((microPence + 500_000) / 1_000_000), importWh };
}

function contains(haystack: Uint8Array, needle: Uint8Array): boolean {
  outer: for (let i = 0; i + needle.length <= haystack.length; i++) {
    for (let j = 0; j < needle.length; j++) if (haystack[i + j] !== needle[j]) continue outer;
    return true;
  }
  return false;
}

describe('meter → relay → supplier, headless', () => {
  let database: TestDatabase;
  let first: RunWorldResult;
  let second: RunWorldResult;

  beforeAll(async () => {
    database = await createTestDatabase();
    const keys = { publisherKeyHex: `00${bytesToHex(random(31))}`, manufacturerCaKeyHex: `00${bytesToHex(random(31))}` };
    const options = { db: database.db.client, random, supplierKek: random(32), ...keys, now: () => new Date(), seed: SEED, homes: HOMES, months: 1, workers: 2 };
    first = await runWorld({ ...options, worldId: 'itest-a' });
    second = await runWorld({ ...options, worldId: 'itest-b' });
  }, 300_000);
  afterAll(async () => database?.dispose());

  it('bills every home exactly once, each equal to an independent computation from the same readings', () => {
    expect(first.bills).toHaveLength(HOMES);
    for (let index = 0; index < HOMES; index++) {
      const bill = first.bills.find((b) => b.meterId === meterIdOf('itest-a', index));
      const expected = expectedBill(index);
      expect(bill).toEqual({ meterId: meterIdOf('itest-a', index), period: '2025-01', amountPence: expected.amountPence, importWh: expected.importWh, exportWh: expect.any(Number) });
    }
    expect(new Set(first.bills.map((b) => b.amountPence)).size).toBeGreaterThan(1);
  });

  it('gives the same bills for the same seed, with different keys and ciphertexts', async () => {
    expect(second.bills.map(({ amountPence, importWh, period }) => ({ amountPence, importWh, period }))).toEqual(
      first.bills.map(({ amountPence, importWh, period }) => ({ amountPence, importWh, period })),
    );
    const digests = (await database.db.client.dccMessage.findMany({ select: { digest: true } })).map((row) => row.digest);
    expect(new Set(digests).size).toBe(digests.length);
    const keys = await database.db.client.dccMeter.findMany({ select: { devicePublicKey: true } });
    expect(new Set(keys.map((k) => bytesToHex(k.devicePublicKey))).size).toBe(HOMES * 2);
  });

  it('leaves no amount in any relay record, and no plaintext in anything it still queues', async () => {
    const db = database.db.client;
    const messages = await db.dccMessage.findMany();
    expect(messages.length).toBeGreaterThan(HOMES * 3);
    const metadata = JSON.stringify(messages.map(({ envelope: _envelope, ...rest }) => rest));
    const refusals = JSON.stringify(await db.dccRefusal.findMany());
    for (const text of [metadata, refusals]) {
      expect(text).not.toMatch(/amount|importWh|statement/i);
    }
    const plaintextMarkers = ['amountPence', 'bill-statement', 'unitRate', '"tariff"'].map(utf8ToBytes);
    for (const message of messages) {
      if (message.envelope === null) {
        expect(message.state).toBe('delivered');
        continue;
      }
      for (const marker of plaintextMarkers) expect(contains(Uint8Array.from(message.envelope), marker)).toBe(false);
    }
    expect(first.relay.dead).toBe(0);
    expect(first.relay.refused).toBe(0);
  });

  it('reports per home and per party what was stored', () => {
    expect(first.parties.supplier).toMatchObject({ accounts: HOMES, bills: HOMES, tariffs: 1 });
    expect(first.relay.messages).toBe(first.relay.messages);
    expect(first.relay.bytes).toBeGreaterThan(0);
    expect(first.homeDays).toBe(HOMES * 31);
  });
});
