// The whole path headless, against a real database: a street of two feeders (8 and 5 homes) for a
// few months through meter (SES compartments in worker threads) → relay → each party. Everything a
// party stored is checked against an independent computation from the household model — under the
// load-control windows the meters acknowledged applying: every bill, every recovered feeder half
// hour, every power-quality event; telecare holds only the homes whose householders consented;
// the relay holds metadata only. A second run of the same seed in the conventional design checks
// the raw reads against what the meters metered, and that the same seed gives the same bills with
// other keys and ciphertexts.
//
//   HYDRA_ITEST_MONTHS=3 (default 3; the conventional run takes one month fewer, at least 2)
import { createTestDatabase, type TestDatabase } from '@hydra/db/testing';
import { bytesToHex, utf8ToBytes } from '@hydra/globalplatform';
import { createHomeProfile, datesBetween, meterIdOf, simulateHomeDay, type ControlWindow, type HomeDay } from '@hydra/meter-sim';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runWorld, type RunWorldResult } from '../src/run-world';

const random = (n: number) => new Uint8Array(randomBytes(n));
// The demo seed: its first 13 homes are a feeder of 8 and a feeder of 5, both large enough to report.
const SEED = 'hydra-demo';
const HOMES = 13;
const MONTHS = Math.max(2, Number(process.env.HYDRA_ITEST_MONTHS ?? 3));
const CONVENTIONAL_MONTHS = Math.max(2, MONTHS - 1);
/** Home numbers (1-based) whose householders consent to telecare: on both feeders. */
const TELECARE_HOMES = [2, 5, 10];
const START = '2025-01-01';

/** Month starts from START: months + 1 dates. */
function monthStarts(months: number): string[] {
  const out = [START];
  for (let m = 0; m < months; m++) {
    const [y, mo] = (out.at(-1) ?? START).split('-').map(Number) as [number, number];
    out.push(new Date(Date.UTC(y, mo, 1)).toISOString().slice(0, 10));
  }
  return out;
}

/** The household model's day for a home under the windows its meter applied. */
const days = new Map<string, HomeDay>();
function modelDay(index: number, date: string, windows: readonly ControlWindow[]): HomeDay {
  const key = `${index}|${date}|${JSON.stringify(windows)}`;
  let day = days.get(key);
  if (!day) {
    day = simulateHomeDay(createHomeProfile(SEED, index), date, windows.length > 0 ? { controls: [...windows] } : {});
    days.set(key, day);
  }
  return day;
}

/** The flat price-cap tariff's bill for one month, computed here from the model's readings. */
function expectedBill(index: number, from: string, to: string, windows: readonly ControlWindow[]): { amountPence: number; importWh: number } {
  let importWh = 0;
  const dates = datesBetween(from, to);
  for (const date of dates) for (const wh of modelDay(index, date, windows).importWh) importWh += wh;
  const microPence = importWh * 24_500 + dates.length * 60_990 * 1000;
  return { amountPence: Math.floor((microPence + 500_000) / 1_000_000), importWh };
}

function contains(haystack: Uint8Array, needle: Uint8Array): boolean {
  outer: for (let i = 0; i + needle.length <= haystack.length; i++) {
    for (let j = 0; j < needle.length; j++) if (haystack[i + j] !== needle[j]) continue outer;
    return true;
  }
  return false;
}

describe('meter → relay → supplier, DNO and telecare, headless', () => {
  let database: TestDatabase;
  let hydra: RunWorldResult;
  let conventional: RunWorldResult;
  /** The load-control windows each meter acknowledged applying, by meter id (from the DNO's campaign rows). */
  const applied = new Map<string, ControlWindow[]>();
  const windowsOf = (meterId: string) => applied.get(meterId) ?? [];

  beforeAll(async () => {
    database = await createTestDatabase();
    const keys = { publisherKeyHex: `00${bytesToHex(random(31))}`, manufacturerCaKeyHex: `00${bytesToHex(random(31))}` };
    const keks = { supplier: random(32), dno: random(32), telecare: random(32) };
    const options = { db: database.db.client, random, keks, ...keys, now: () => new Date(), seed: SEED, homes: HOMES, loadControl: 'heat-pump' as const };
    hydra = await runWorld({ ...options, months: MONTHS, workers: 2, worldId: 'itest-a', telecare: { kind: 'homes', numbers: TELECARE_HOMES } });
    conventional = await runWorld({ ...options, months: CONVENTIONAL_MONTHS, workers: 1, worldId: 'itest-b', mode: 'conventional', telecare: { kind: 'none' } });
    const targets = await database.db.client.dnoCampaignTarget.findMany({ where: { state: 'applied' }, include: { campaign: true } });
    for (const target of targets) {
      if (!target.appliedStart || !target.appliedEnd) throw new Error(`campaign ${target.campaignId}: applied without a window`);
      const window: ControlWindow = { device: target.campaign.device as ControlWindow['device'], fromUtc: target.appliedStart.getTime(), toUtc: target.appliedEnd.getTime(), limitKw: target.campaign.limitW / 1000 };
      applied.set(target.meterId, [...windowsOf(target.meterId), window]);
    }
  }, 1_800_000);
  afterAll(async () => database?.dispose());

  it('runs a street of at least two feeders of at least five homes, and the DNO campaigns reach every meter from the second month', async () => {
    const feeders = await database.db.client.home.groupBy({ by: ['feederId'], where: { worldId: 'itest-a' }, _count: { _all: true } });
    expect(feeders.filter((feeder) => feeder._count._all >= 5).length).toBeGreaterThanOrEqual(2);
    // One campaign per feeder per month once the meters took the DNO's command key (after their first wake).
    expect(hydra.parties.dno.campaigns).toBe(feeders.length * (MONTHS - 1));
    expect(hydra.parties.dno.acks).toEqual({ applied: HOMES * (MONTHS - 1), refused: 0, queued: 0 });
    for (let index = 0; index < HOMES; index++) expect(windowsOf(meterIdOf('itest-a', index))).toHaveLength(MONTHS - 1);
    // The windows matter: the heat pump of at least one home ran less than the model without them says.
    const changed = Array.from({ length: HOMES }, (_, index) => index).filter((index) =>
      datesBetween(START, monthStarts(MONTHS).at(-1) ?? START).some((date) => {
        const controlled = modelDay(index, date, windowsOf(meterIdOf('itest-a', index))).importWh;
        return modelDay(index, date, []).importWh.some((wh, period) => wh !== controlled[period]);
      }),
    );
    expect(changed.length).toBeGreaterThan(0);
  });

  it('bills every home exactly once a month, each equal to the model under the windows its meter applied', () => {
    for (const [run, worldId, months] of [[hydra, 'itest-a', MONTHS], [conventional, 'itest-b', CONVENTIONAL_MONTHS]] as const) {
      const starts = monthStarts(months);
      expect(run.bills).toHaveLength(HOMES * months);
      for (let index = 0; index < HOMES; index++) {
        const meterId = meterIdOf(worldId, index);
        for (let m = 0; m < months; m++) {
          const from = starts[m] ?? '';
          const bills = run.bills.filter((b) => b.meterId === meterId && b.period === from.slice(0, 7));
          expect(bills).toEqual([{ meterId, period: from.slice(0, 7), exportWh: expect.any(Number), ...expectedBill(index, from, starts[m + 1] ?? '', windowsOf(meterId)) }]);
        }
      }
    }
    expect(new Set(hydra.bills.map((b) => b.amountPence)).size).toBeGreaterThan(1);
  });

  it('gives the same bills for the same seed before any load control, with different keys and ciphertexts', async () => {
    const january = (run: RunWorldResult) => run.bills.filter((b) => b.period === '2025-01').map(({ amountPence, importWh, period }) => ({ amountPence, importWh, period }));
    expect(january(conventional)).toEqual(january(hydra));
    const digests = (await database.db.client.dccMessage.findMany({ select: { digest: true } })).map((row) => row.digest);
    expect(new Set(digests).size).toBe(digests.length);
    const keys = await database.db.client.dccMeter.findMany({ select: { devicePublicKey: true } });
    expect(new Set(keys.map((k) => bytesToHex(k.devicePublicKey))).size).toBe(HOMES * 2);
  });

  it('recovers each reporting feeder’s load exactly: every complete half hour is the sum of its homes’ imports', async () => {
    const db = database.db.client;
    const homes = await db.home.findMany({ where: { worldId: 'itest-a' } });
    const loads = await db.dnoFeederLoad.findMany({ where: { worldId: 'itest-a' }, orderBy: [{ feederId: 'asc' }, { date: 'asc' }, { period: 'asc' }] });
    let complete = 0;
    for (const load of loads) {
      if (load.totalWh === null) continue;
      const members = homes.filter((home) => home.feederId === load.feederId);
      const truth = members.reduce((sum, home) => sum + (modelDay(home.index, load.date, windowsOf(home.meterId)).importWh[load.period] ?? Number.NaN), 0);
      expect(load.totalWh, `${load.feederId} ${load.date} period ${load.period}`).toBe(truth);
      expect(load.reported).toBe(members.length);
      complete++;
    }
    // Every feeder reports, and most of the run is complete (a feeder's first days may wait for its roster).
    const dates = datesBetween(START, monthStarts(MONTHS).at(-1) ?? START);
    const feeders = hydra.parties.dno.feeders;
    expect(feeders.every((feeder) => feeder.reports && feeder.completePeriods > 0)).toBe(true);
    expect(complete).toBe(feeders.reduce((sum, feeder) => sum + feeder.completePeriods, 0));
    expect(complete).toBeGreaterThan(feeders.length * (dates.length - 31) * 46);
    expect(hydra.parties.dno.rosters).toBe(feeders.length);
  });

  it('holds exactly the power-quality events of the household model, once each', async () => {
    const dates = datesBetween(START, monthStarts(MONTHS).at(-1) ?? START);
    const expected = [];
    for (let index = 0; index < HOMES; index++) {
      const meterId = meterIdOf('itest-a', index);
      for (const date of dates) {
        for (const event of modelDay(index, date, windowsOf(meterId)).voltageEvents) {
          expected.push({ meterId, type: event.kind, start: event.startUtc, durationSeconds: Math.round(event.durationSeconds), extremeDeciV: event.kind === 'outage' ? 0 : Math.round(event.extremeV * 10) });
        }
      }
    }
    const stored = await database.db.client.dnoPowerQualityEvent.findMany({ where: { worldId: 'itest-a' } });
    const key = (e: { meterId: string; start: number }) => `${e.meterId}|${e.start}`;
    const held = stored.map((e) => ({ meterId: e.meterId, type: e.type, start: e.start.getTime(), durationSeconds: e.durationSeconds, extremeDeciV: e.extremeDeciV }));
    expect(held.sort((a, b) => key(a).localeCompare(key(b)))).toEqual(expected.sort((a, b) => key(a).localeCompare(key(b))));
    expect(held.length).toBeGreaterThan(0);
    expect(hydra.parties.dno.powerQualityEvents).toBe(held.length);
  });

  it('gives telecare only the homes whose householders consented on their meters', async () => {
    const db = database.db.client;
    const consenting = TELECARE_HOMES.map((n) => meterIdOf('itest-a', n - 1)).sort();
    const homes = await db.telecareHome.findMany({ orderBy: { meterId: 'asc' } });
    expect(homes.map((home) => [home.meterId, home.withdrawnAt])).toEqual(consenting.map((meterId) => [meterId, null]));
    expect((await db.dccEnrolment.findMany({ orderBy: { meterId: 'asc' } })).map((e) => [e.meterId, e.partyId, e.state])).toEqual(consenting.map((meterId) => [meterId, 'telecare', 'admitted']));
    // Each consenting home's channel was opened and its collect answered; no other home's was.
    expect((await db.telecareSession.findMany({ orderBy: { meterId: 'asc' } })).map((s) => s.meterId)).toEqual(consenting);
    const routed = await db.dccMessage.groupBy({ by: ['meterId', 'direction'], where: { partyId: 'telecare' }, _count: { _all: true }, orderBy: { meterId: 'asc' } });
    expect([...new Set(routed.map((row) => row.meterId))]).toEqual(consenting);
    expect(routed.filter((row) => row.direction === 'uplink')).toHaveLength(consenting.length);
    const alerts = await db.telecareAlert.findMany();
    expect(alerts.every((alert) => consenting.includes(alert.meterId))).toBe(true);
    expect(hydra.parties.telecare).toEqual({ consented: consenting.length, homes: consenting.length, alerts: alerts.length });
    expect(conventional.parties.telecare).toEqual({ consented: 0, homes: 0, alerts: 0 });
  });

  it('in the conventional design, the DCC’s raw reads are what each meter metered — load-control windows included', async () => {
    const dates = datesBetween(START, monthStarts(CONVENTIONAL_MONTHS).at(-1) ?? START);
    const reads = await database.db.client.conventionalRead.findMany({ where: { worldId: 'itest-b' } });
    expect(reads).toHaveLength(HOMES * dates.length);
    expect(conventional.conventionalReads).toBe(HOMES * dates.length);
    for (const read of reads) {
      const index = Number(read.meterId.slice(-4)) - 1;
      const day = modelDay(index, read.date, windowsOf(read.meterId));
      expect(JSON.parse(read.importWh), `${read.meterId} ${read.date}`).toEqual(Array.from(day.importWh));
      expect(JSON.parse(read.exportWh)).toEqual(Array.from(day.exportWh));
    }
    expect(await database.db.client.conventionalRead.count({ where: { worldId: 'itest-a' } })).toBe(0);
  });

  it('leaves no payload in any relay record, and no plaintext in anything it still queues', async () => {
    const db = database.db.client;
    const messages = await db.dccMessage.findMany();
    expect(new Set(messages.map((m) => m.partyId))).toEqual(new Set(['supplier', 'dno', 'telecare']));
    const metadata = JSON.stringify(messages.map(({ envelope: _envelope, ...rest }) => rest));
    const refusals = JSON.stringify(await db.dccRefusal.findMany());
    for (const text of [metadata, refusals]) {
      expect(text).not.toMatch(/amount|importWh|statement|shares|extremeV|durationSeconds|appliedStart|windowStart|\bsag\b|\bswell\b|\boutage\b|no-activity|sleep-window/i);
    }
    const plaintextMarkers = ['amountPence', 'bill-statement', 'unitRate', '"tariff"', 'feeder-shares', 'power-quality-event', 'load-control-ack', 'wellbeing-alert', '"roster"', '"members"'].map(utf8ToBytes);
    let queued = 0;
    for (const message of messages) {
      if (message.envelope === null) {
        expect(message.state).toBe('delivered');
        continue;
      }
      queued++;
      for (const marker of plaintextMarkers) expect(contains(Uint8Array.from(message.envelope), marker)).toBe(false);
    }
    expect(queued).toBeGreaterThan(0);
    for (const run of [hydra, conventional]) {
      expect(run.relay.dead).toBe(0);
      expect(run.relay.refused).toBe(0);
    }
  });

  it('reports per party what each stored', () => {
    expect(hydra.parties.supplier).toMatchObject({ accounts: HOMES, bills: HOMES * MONTHS, tariffs: 1 });
    expect(hydra.parties.dno).toMatchObject({ meters: HOMES, feederShares: expect.any(Number) });
    expect(hydra.parties.dno.feederShares).toBeGreaterThan(HOMES * (datesBetween(START, monthStarts(MONTHS).at(-1) ?? START).length - 31));
    expect(hydra.relay.bytes).toBeGreaterThan(0);
    expect(hydra.homeDays).toBe(HOMES * datesBetween(START, monthStarts(MONTHS).at(-1) ?? START).length);
  });
});
