// Billing applet: every tariff kind priced per half hour at the tariff in force, exact money with
// one half-up rounding per statement, signed tariffs, and the data-sharing setting.
import { describe, expect, it } from 'vitest';
import { datesBetween, londonDay, londonMidnightUtc, londonMinuteOfDay } from '../../src/calendar';
import { instantiateApplet } from '../../src/secure-element/applet-runtime';
import type { Json, MetrologyDay } from '../../src/secure-element/applet';
import { appletModule, loadApplet, metrologyDay, testSigner, type LoadedApplet } from './harness';

const supplier = testSigner(7);
const householder = testSigner(9);
const HH = 1_800_000;

/** Loads billing personalised with the supplier's tariff key and the householder key. */
function billing(preset: 'hydra' | 'gb-licence' = 'hydra'): LoadedApplet {
  const applet = loadApplet('billing');
  const r = applet.command('personalise', { tariffKey: supplier.publicKeyHex, householderKey: householder.publicKeyHex, meterId: 'm1', preset });
  expect(r.status).toBe(0x9000);
  return applet;
}

function setTariff(applet: LoadedApplet, tariff: { [key: string]: Json }) {
  return applet.command('set-tariff', { tariff, signature: supplier.sign(tariff) });
}

function runMonth(applet: LoadedApplet, from: string, to: string, fill: Parameters<typeof metrologyDay>[1]): MetrologyDay[] {
  const days = datesBetween(from, to).map((d) => metrologyDay(d, fill));
  for (const day of days) {
    applet.clock.now = day.startUtc;
    applet.feed(day);
  }
  return days;
}

const statements = (applet: LoadedApplet) => applet.sent.filter((s) => s.messageClass === 'bill-statement').map((s) => s.body);
const halfUp = (micro: number) => Math.floor((micro + 500_000) / 1_000_000);
const JAN = londonMidnightUtc('2025-01-01');

describe('billing: flat tariff with standing charge', () => {
  it('bills Σ Wh × rate + days × standing charge, rounded once half-up, on the month\'s last day', () => {
    const applet = billing();
    setTariff(applet, { id: 'flat-q4', kind: 'flat', unitRate: 24_500, standingCharge: 60_990, effectiveFromUtc: JAN });
    const days = runMonth(applet, '2025-01-01', '2025-02-01', { importWh: (i) => 100 + (i % 7) * 37 });
    const importWh = days.reduce((s, d) => s + d.importWh.reduce((a, b) => a + b, 0), 0);
    expect(statements(applet)).toEqual([
      { statementId: '2025-01/flat-q4', period: '2025-01', amountPence: halfUp(importWh * 24_500 + 31 * 60_990_000), importWh, exportWh: 0 },
    ]);
    // Nothing else left the meter under the Hydra default: a tariff-ack and the statement.
    expect(applet.sent.map((s) => s.messageClass).sort()).toEqual(['bill-statement', 'tariff-ack']);
  });

  it('rounds half-up exactly once per statement (0.5 p → 1 p, 0.499999 p → 0 p, −0.5 p → 0 p, −1.5 p → −1 p)', () => {
    const cases: [number, number, number][] = [
      // [import Wh on 1 Jan, export Wh on 1 Jan, expected pence] with unitRate 500 (0.5 p/kWh), exportRate 1000
      [1000, 0, 1],
      [999, 0, 0], // 499 500 µp
      [3000, 0, 2], // 1.5 p → 2 p
      [0, 500, 0], // −0.5 p → 0 p (ties toward +∞)
      [0, 1500, -1], // −1.5 p → −1 p
      [0, 1501, -2], // −1.501 p → −2 p
    ];
    for (const [imp, exp, pence] of cases) {
      const applet = billing();
      setTariff(applet, { id: 'r', kind: 'flat', unitRate: 500, standingCharge: 0, exportRate: 1000, effectiveFromUtc: JAN });
      const days = datesBetween('2025-01-01', '2025-02-01').map((d, k) => metrologyDay(d, { importWh: (i) => (k === 0 && i === 0 ? imp : 0), exportWh: (i) => (k === 0 && i === 0 ? exp : 0) }));
      for (const day of days) applet.feed(day);
      expect(statements(applet)[0]?.amountPence, `${imp} Wh in, ${exp} Wh out`).toBe(pence);
    }
  });

  it('credits export at the SEG rate: the amount falls by exportWh × exportRate', () => {
    const withExport = billing();
    const without = billing();
    const tariff = { id: 'seg', kind: 'flat', unitRate: 24_500, standingCharge: 60_990, exportRate: 15_000, effectiveFromUtc: JAN };
    setTariff(withExport, tariff);
    setTariff(without, tariff);
    runMonth(withExport, '2025-01-01', '2025-02-01', { importWh: 300, exportWh: (i) => (i >= 20 && i < 30 ? 400 : 0) });
    runMonth(without, '2025-01-01', '2025-02-01', { importWh: 300 });
    const exportWh = 31 * 10 * 400;
    expect(statements(withExport)[0]?.exportWh).toBe(exportWh);
    expect(statements(without)[0]!.amountPence! as number - (statements(withExport)[0]!.amountPence as number)).toBe((exportWh * 15_000) / 1_000_000);
  });
});

/** Reference price of one half hour computed independently with calendar.ts (Date-based). */
function e7Reference(day: MetrologyDay, i: number, fromGmtMinute: number, night: number, dayRate: number): number {
  const utc = day.startUtc + i * HH;
  const m = Math.floor((utc % 86_400_000) / 60_000);
  const rel = (m - fromGmtMinute + 1440) % 1440;
  return rel < 420 ? night : dayRate;
}

describe('billing: Economy 7 (7 off-peak hours on the GMT clock)', () => {
  // [label, window start (GMT minute), date, off-peak periods inside that local day]
  for (const [label, fromMinute, date, periods] of [
    ['00:30–07:30 GMT in winter', 30, '2025-01-15', 14],
    ['00:30–07:30 GMT in summer (01:30–08:30 BST)', 30, '2025-07-15', 14],
    ['22:30–05:30 GMT across midnight', 1350, '2025-01-15', 14],
    // The local day is 00:00–23:00 UTC: 00:00–05:30 and 22:30–23:00; 23:00–24:00 UTC is the next local day.
    ['22:30–05:30 GMT across midnight, 46-period spring day', 1350, '2025-03-30', 12],
    // The local day is 23:00 UTC (25th) – 24:00 UTC: 00:30–07:30 GMT lies wholly inside it.
    ['00:30–07:30 GMT, 50-period autumn day', 30, '2025-10-26', 14],
    // 23:00 UTC (25th)–05:30 and 22:30–24:00 UTC: 13 + 3 periods.
    ['22:30–05:30 GMT, 50-period autumn day', 1350, '2025-10-26', 16],
  ] as const) {
    it(`prices each half hour at night or day rate: ${label}`, () => {
      const applet = billing();
      const startUtc = londonDay(date).startUtc;
      setTariff(applet, { id: 'e7', kind: 'economy7', dayRate: 30_000, nightRate: 12_000, offPeakFromUtcMinute: fromMinute, standingCharge: 0, effectiveFromUtc: startUtc });
      // 1 kWh in each half hour, on the last day of the month so the statement closes: move to month end.
      const day = metrologyDay(date, { importWh: 1000 });
      applet.feed(day);
      const month = applet.storage.get('month') as { microPence: number };
      let expected = 0;
      let offPeakPeriods = 0;
      for (let i = 0; i < day.halfHours; i++) {
        const rate = e7Reference(day, i, fromMinute, 12_000, 30_000);
        if (rate === 12_000) offPeakPeriods++;
        expected += 1000 * rate;
      }
      expect(offPeakPeriods).toBe(periods);
      expect(month.microPence).toBe(expected);
    });
  }
});

describe('billing: time-of-use bands (weekday/weekend) on the local wall clock', () => {
  const tariff = {
    id: 'tou',
    kind: 'time-of-use',
    defaultRate: 20_000,
    standingCharge: 0,
    bands: [
      { days: 'weekday', fromMinute: 960, toMinute: 1140, rate: 40_000 }, // 16:00–19:00 peak
      { days: 'all', fromMinute: 30, toMinute: 270, rate: 5_000 }, // 00:30–04:30 (Go-style)
    ],
  };
  const reference = (day: MetrologyDay, i: number) => {
    const m = londonMinuteOfDay(day.startUtc + i * HH);
    const weekend = day.weekday === 0 || day.weekday === 6;
    if (!weekend && m >= 960 && m < 1140) return 40_000;
    if (m >= 30 && m < 270) return 5_000;
    return 20_000;
  };
  for (const date of ['2025-01-15', '2025-01-18', '2025-03-30', '2025-10-26', '2025-10-27']) {
    it(`matches an independent wall-clock computation on ${date}`, () => {
      const applet = billing();
      setTariff(applet, { ...tariff, effectiveFromUtc: londonDay(date).startUtc });
      const day = metrologyDay(date, { importWh: (i) => 100 + i });
      applet.feed(day);
      let expected = 0;
      for (let i = 0; i < day.halfHours; i++) expected += (100 + i) * reference(day, i);
      expect((applet.storage.get('month') as { microPence: number }).microPence).toBe(expected);
    });
  }
});

describe('billing: dynamic half-hourly prices published a day ahead', () => {
  const base = { id: 'agile', kind: 'dynamic', fallbackRate: 25_000, standingCharge: 50_000, exportRate: 0 };

  it('prices with the day\'s own prices, negative ones included (a negative price pays the importer)', () => {
    const applet = billing();
    const date = '2025-01-15';
    const rates = Array.from({ length: 48 }, (_, i) => (i < 8 ? -10_080 : 20_000 + i * 100));
    expect(setTariff(applet, { ...base, effectiveFromUtc: londonDay(date).startUtc, prices: [{ date, rates }] }).body.result).toBe('applied');
    applet.feed(metrologyDay(date, { importWh: 1000 }));
    const expected = rates.reduce((s, r) => s + 1000 * r, 0) + 50_000_000;
    expect((applet.storage.get('month') as { microPence: number }).microPence).toBe(expected);
  });

  it('takes 46 and 50 prices on clock-change days and refuses a wrong count', () => {
    for (const [date, n] of [['2025-03-30', 46], ['2025-10-26', 50]] as const) {
      const applet = billing();
      const from = londonDay(date).startUtc;
      const wrong = setTariff(applet, { ...base, effectiveFromUtc: from, prices: [{ date, rates: Array(48).fill(1000) }] });
      expect(wrong.status).toBe(0x6a80);
      expect(wrong.body).toMatchObject({ tariffId: 'agile', result: 'refused' });
      expect(String(wrong.body.reason)).toContain(`expected ${n}`);
      const rates = Array.from({ length: n }, (_, i) => i * 1000 - 5000);
      expect(setTariff(applet, { ...base, effectiveFromUtc: from, prices: [{ date, rates }] }).status).toBe(0x9000);
      applet.feed(metrologyDay(date, { importWh: 500 }));
      expect((applet.storage.get('month') as { microPence: number }).microPence).toBe(rates.reduce((s, r) => s + 500 * r, 0) + 50_000_000);
    }
  });

  it('merges each day-ahead publication of the same tariff; a day without prices falls back', () => {
    const applet = billing();
    const d1 = '2025-01-15';
    const d2 = '2025-01-16';
    const d3 = '2025-01-17';
    setTariff(applet, { ...base, effectiveFromUtc: londonDay(d1).startUtc, prices: [{ date: d1, rates: Array(48).fill(10_000) }] });
    expect(setTariff(applet, { ...base, prices: [{ date: d2, rates: Array(48).fill(-2_000) }] }).body.result).toBe('applied');
    expect(setTariff(applet, { ...base, standingCharge: 1, prices: [{ date: d3, rates: Array(48).fill(0) }] }).body.result).toBe('refused');
    for (const d of [d1, d2, d3]) applet.feed(metrologyDay(d, { importWh: 100 }));
    const expected = 48 * 100 * 10_000 + 48 * 100 * -2_000 + 48 * 100 * 25_000 + 3 * 50_000_000;
    expect((applet.storage.get('month') as { microPence: number }).microPence).toBe(expected);
  });
});

describe('billing: tiered blocks per calendar month', () => {
  it('prices the first tierWh of the month at tier 1 and the rest at tier 2, splitting the boundary half hour', () => {
    const applet = billing();
    setTariff(applet, { id: 'tier', kind: 'tiered', tierWh: 1_000, tier1Rate: 10_000, tier2Rate: 30_000, standingCharge: 0, effectiveFromUtc: JAN });
    // 300 Wh per half hour: 300, 600, 900, then 1200 crosses the 1000 Wh boundary (100 at tier 1, 200 at tier 2).
    applet.feed(metrologyDay('2025-01-01', { importWh: (i) => (i < 5 ? 300 : 0) }));
    expect((applet.storage.get('month') as { microPence: number }).microPence).toBe(1000 * 10_000 + 500 * 30_000);
    // The block resets with the month.
    for (const d of datesBetween('2025-01-02', '2025-02-02')) applet.feed(metrologyDay(d, { importWh: (i) => (d === '2025-02-01' && i === 0 ? 1000 : 0) }));
    expect(statements(applet)[0]?.amountPence).toBe(halfUp(1000 * 10_000 + 500 * 30_000));
    expect((applet.storage.get('month') as { microPence: number }).microPence).toBe(1000 * 10_000);
  });
});

describe('billing: a mid-month tariff change bills each half hour at the tariff in force', () => {
  it('prices before and after the effective instant at the old and new tariffs; standing charge by the tariff at midnight', () => {
    const applet = billing();
    setTariff(applet, { id: 'a', kind: 'flat', unitRate: 20_000, standingCharge: 50_000, effectiveFromUtc: JAN });
    const changeAt = londonDay('2025-01-15').startUtc + 25 * HH; // 12:30 on the 15th
    expect(setTariff(applet, { id: 'b', kind: 'flat', unitRate: 30_000, standingCharge: 70_000, effectiveFromUtc: changeAt }).body).toEqual({ tariffId: 'b', result: 'applied', reason: null });
    const days = runMonth(applet, '2025-01-01', '2025-02-01', { importWh: 200 });
    let expected = 0;
    for (const day of days) {
      expected += (day.startUtc < changeAt ? 50_000 : 70_000) * 1000;
      for (let i = 0; i < day.halfHours; i++) expected += 200 * (day.startUtc + i * HH < changeAt ? 20_000 : 30_000);
    }
    expect(statements(applet)).toEqual([{ statementId: '2025-01/b', period: '2025-01', amountPence: halfUp(expected), importWh: 31 * 48 * 200, exportWh: 0 }]);
  });

  it('refuses a tariff whose effective time is already billed', () => {
    const applet = billing();
    setTariff(applet, { id: 'a', kind: 'flat', unitRate: 20_000, standingCharge: 0, effectiveFromUtc: JAN });
    runMonth(applet, '2025-01-01', '2025-01-10', { importWh: 1 });
    const late = setTariff(applet, { id: 'b', kind: 'flat', unitRate: 1, standingCharge: 0, effectiveFromUtc: JAN + 86_400_000 });
    expect(late.body).toMatchObject({ tariffId: 'b', result: 'refused' });
    expect(applet.sent.filter((s) => s.messageClass === 'tariff-ack').at(-1)?.body).toEqual(late.body);
  });
});

describe('billing: signed tariffs', () => {
  const tariff = { id: 'flat-signed', kind: 'flat', unitRate: 24_500, standingCharge: 60_990 };

  it('applies a tariff signed by the personalised supplier key and acknowledges it', () => {
    const applet = billing();
    expect(setTariff(applet, tariff)).toEqual({ status: 0x9000, body: { tariffId: 'flat-signed', result: 'applied', reason: null } });
    expect(applet.sent).toEqual([{ messageClass: 'tariff-ack', body: { tariffId: 'flat-signed', result: 'applied', reason: null } }]);
  });

  it('refuses an unsigned, tampered or other-key tariff, and says why', () => {
    const applet = billing();
    const unsigned = applet.command('set-tariff', { tariff });
    const tampered = applet.command('set-tariff', { tariff: { ...tariff, unitRate: 1 }, signature: supplier.sign(tariff) });
    const otherKey = applet.command('set-tariff', { tariff, signature: householder.sign(tariff) });
    for (const r of [unsigned, tampered, otherKey]) {
      expect(r.status).toBe(0x6982);
      expect(r.body).toEqual({ tariffId: 'flat-signed', result: 'refused', reason: 'signature: not signed by the supplier tariff key' });
    }
    expect(applet.storage.get('schedule')).toBeUndefined();
  });

  it('refuses malformed documents with a reason naming the field', () => {
    const applet = billing();
    for (const [doc, field] of [
      [{ ...tariff, unitRate: 1.5 }, 'unitRate'],
      [{ ...tariff, standingCharge: -1 }, 'standingCharge'],
      [{ ...tariff, kind: 'mystery' }, 'kind'],
      [{ id: 'e7', kind: 'economy7', dayRate: 1, nightRate: 1, standingCharge: 0, offPeakFromUtcMinute: 45 }, 'offPeakFromUtcMinute'],
      ['not a tariff', 'tariff'],
    ] as const) {
      const r = applet.command('set-tariff', { tariff: doc as Json, signature: supplier.sign(doc) });
      expect(r.status).toBe(0x6a80);
      expect(String(r.body.reason)).toContain(field);
    }
  });

  it('keys are write-once: a second personalisation cannot swap the tariff key', () => {
    const applet = billing();
    expect(applet.command('personalise', { tariffKey: householder.publicKeyHex }).status).toBe(0x6985);
    expect(applet.command('personalise', { tariffKey: supplier.publicKeyHex }).status).toBe(0x9000);
  });

  it('still loads through the current runtime (no crypto capability) and bills the walking skeleton\'s unsigned flat tariff', () => {
    const sent: { messageClass: string; body: unknown }[] = [];
    const store = new Map<string, Json>();
    const { instance, manifest } = instantiateApplet(
      appletModule('billing'),
      harden({
        storage: { get: (k: string) => (store.has(k) ? harden(JSON.parse(JSON.stringify(store.get(k)))) : undefined), set: (k: string, v: Json) => void store.set(k, JSON.parse(JSON.stringify(v))), delete: (k: string) => void store.delete(k), keys: () => [...store.keys()] },
        outbox: { put: (messageClass: string, body: { [key: string]: Json }) => void sent.push({ messageClass, body }), size: () => sent.length },
        clock: { now: () => JAN },
      }),
    );
    expect(manifest.sends).toEqual(['bill-statement', 'consented-reads', 'tariff-ack']);
    expect(instance.process?.(harden({ name: 'set-tariff', body: { tariff } })).status).toBe(0x9000);
    for (const d of datesBetween('2025-01-01', '2025-02-01')) instance.onMetrology?.(harden(metrologyDay(d, { importWh: 10 })));
    expect(sent.at(-1)).toEqual({ messageClass: 'bill-statement', body: { statementId: '2025-01/flat-signed', period: '2025-01', amountPence: halfUp(31 * 480 * 24_500 + 31 * 60_990_000), importWh: 31 * 480, exportWh: 0 } });
  });
});

describe('billing: data sharing (Decision 11, SLC 47)', () => {
  const consent = (setting: string, sequence: number, meterId = 'm1') => {
    const doc = { kind: 'data-sharing', meterId, setting, sequence };
    return { consent: doc, signature: householder.sign(doc) };
  };
  const start = (preset: 'hydra' | 'gb-licence') => {
    const applet = billing(preset);
    setTariff(applet, { id: 'f', kind: 'flat', unitRate: 20_000, standingCharge: 0, effectiveFromUtc: JAN });
    applet.drain();
    return applet;
  };
  const reads = (applet: LoadedApplet) => applet.drain().filter((s) => s.messageClass === 'consented-reads').map((s) => s.body);

  it('Hydra default: monthly only — no reads leave the meter', () => {
    const applet = start('hydra');
    runMonth(applet, '2025-01-01', '2025-01-10', { importWh: 5 });
    expect(reads(applet)).toEqual([]);
  });

  it('GB licence preset: daily totals unless opted out; half-hourly only with explicit opt-in', () => {
    const applet = start('gb-licence');
    runMonth(applet, '2025-01-01', '2025-01-03', { importWh: 5, exportWh: 1 });
    expect(reads(applet)).toEqual([
      { date: '2025-01-01', resolution: 'daily', importWh: 240, exportWh: 48 },
      { date: '2025-01-02', resolution: 'daily', importWh: 240, exportWh: 48 },
    ]);
    applet.clock.now = londonDay('2025-01-03').startUtc;
    expect(applet.command('set-sharing', consent('half-hourly', 1)).body).toMatchObject({ result: 'applied', setting: 'half-hourly' });
    runMonth(applet, '2025-01-03', '2025-01-04', { importWh: 5 });
    const hh = reads(applet);
    expect(hh).toHaveLength(1);
    expect(hh[0]).toEqual({ date: '2025-01-03', resolution: 'half-hourly', importWh: Array(48).fill(5), exportWh: Array(48).fill(0) });
    applet.clock.now = londonDay('2025-01-04').startUtc;
    expect(applet.command('set-sharing', consent('monthly', 2)).body).toMatchObject({ result: 'applied', setting: 'monthly' });
    runMonth(applet, '2025-01-04', '2025-01-08', { importWh: 5 });
    expect(reads(applet)).toEqual([]);
  });

  it('an opt-in takes effect from the next day; a withdrawal covers the day in progress', () => {
    const applet = start('hydra');
    const day = londonDay('2025-01-05');
    applet.clock.now = day.startUtc + 10 * HH; // opt in at 05:00 on the 5th (meter fed up to the 4th)
    runMonth(applet, '2025-01-01', '2025-01-05', { importWh: 5 });
    applet.clock.now = day.startUtc + 10 * HH;
    applet.command('set-sharing', consent('daily', 1));
    runMonth(applet, '2025-01-05', '2025-01-07', { importWh: 5 });
    expect(reads(applet).map((r) => r.date)).toEqual(['2025-01-06']);
    applet.clock.now = londonDay('2025-01-07').startUtc + 30 * HH; // withdraw at 15:00 on the 7th
    applet.command('set-sharing', consent('monthly', 2));
    runMonth(applet, '2025-01-07', '2025-01-09', { importWh: 5 });
    expect(reads(applet)).toEqual([]);
  });

  it('refuses a consent that is unsigned, for another meter, replayed, or signed by the supplier', () => {
    const applet = start('hydra');
    const good = consent('half-hourly', 5);
    expect(applet.command('set-sharing', { consent: good.consent }).status).toBe(0x6982);
    expect(applet.command('set-sharing', consent('half-hourly', 5, 'm2')).status).toBe(0x6982);
    const bySupplier = { consent: good.consent, signature: supplier.sign(good.consent) };
    expect(applet.command('set-sharing', bySupplier).status).toBe(0x6982);
    expect(applet.command('set-sharing', good).status).toBe(0x9000);
    applet.command('set-sharing', consent('monthly', 6));
    // The supplier replays the householder's old opt-in after the withdrawal.
    expect(applet.command('set-sharing', good).body).toMatchObject({ result: 'refused', reason: 'consent: replayed or out of order' });
    runMonth(applet, '2025-01-01', '2025-01-04', { importWh: 5 });
    expect(reads(applet)).toEqual([]);
  });
});
