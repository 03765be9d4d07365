/**
 * Calibration against published GB figures (uk-reference.json), over 200 homes × one full year
 * (73,000 home-days) of one world. Bounds and what is published vs modelled: src/home/README.md.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { addDays, londonDay } from '../src/calendar';
import { LOWER_LIMIT_V, UPPER_LIMIT_V, createHomeProfile, simulateHomeDay } from '../src/home/index';
import type { HomeDay, HomeProfile } from '../src/home/index';
import { PC1_WINTER_WEEKDAY_KW } from '../src/home/voltage';

const SEED = 'calibration-world';
const HOMES = 200;
const YEAR = 2025;

interface HomeYear {
  profile: HomeProfile;
  importKwh: number;
  consumptionKwh: number;
  pvKwh: number;
  evKwh: number;
  /** EV energy delivered between 18:00 and 07:00 local. */
  evEveningNightKwh: number;
  /** Half-hours between 23:00 and 06:00 with ≥ 3.3 kWh of EV charging (≈ 7 kW). */
  evFullPowerNightHalfHours: number;
  winterKwh: number;
  summerKwh: number;
  voltageEvents: number;
}

const homes: HomeYear[] = [];
const winterWeekdayShape = new Float64Array(48);
let winterWeekdayDays = 0;
const pvByMonth = new Float64Array(12);
let steadyMinV = Infinity;
let steadyMaxV = -Infinity;
let eventMinV = Infinity;
let eventMaxV = -Infinity;
let sawOutage = false;

function pearson(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const n = a.length;
  let ma = 0;
  let mb = 0;
  for (let i = 0; i < n; i++) {
    ma += a[i]! / n;
    mb += b[i]! / n;
  }
  let num = 0;
  let da = 0;
  let db = 0;
  for (let i = 0; i < n; i++) {
    num += (a[i]! - ma) * (b[i]! - mb);
    da += (a[i]! - ma) ** 2;
    db += (b[i]! - mb) ** 2;
  }
  return num / Math.sqrt(da * db);
}

const quantile = (values: number[], q: number): number => {
  const s = [...values].sort((x, y) => x - y);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))]!;
};

beforeAll(() => {
  const dates: string[] = [];
  for (let d = `${YEAR}-01-01`; d < `${YEAR + 1}-01-01`; d = addDays(d, 1)) dates.push(d);
  for (let h = 0; h < HOMES; h++) {
    const profile = createHomeProfile(SEED, h);
    // Homes like the ones profile class 1 describes: no EV, no electric heating.
    const pc1Like = !profile.ev && profile.heating === 'gas';
    const y: HomeYear = { profile, importKwh: 0, consumptionKwh: 0, pvKwh: 0, evKwh: 0, evEveningNightKwh: 0, evFullPowerNightHalfHours: 0, winterKwh: 0, summerKwh: 0, voltageEvents: 0 };
    let yesterdaysEvents: HomeDay['voltageEvents'] = [];
    for (const date of dates) {
      const day = simulateHomeDay(profile, date);
      const month = Number(date.slice(5, 7));
      const weekday = londonDay(date).weekday;
      const eventSpans = [...yesterdaysEvents, ...day.voltageEvents]; // an outage can run past midnight
      yesterdaysEvents = day.voltageEvents;
      y.voltageEvents += day.voltageEvents.length;
      let dayKwh = 0;
      for (let i = 0; i < day.halfHours; i++) {
        const consumption = day.importWh[i]! - day.exportWh[i]! + day.pvWh[i]!;
        y.importKwh += day.importWh[i]! / 1000;
        y.pvKwh += day.pvWh[i]! / 1000;
        y.evKwh += day.evWh[i]! / 1000;
        dayKwh += consumption / 1000;
        const wallHour = (i * 30) / 60; // 48-half-hour days only below
        if (day.halfHours === 48 && (wallHour >= 18 || wallHour < 7)) y.evEveningNightKwh += day.evWh[i]! / 1000;
        if (day.halfHours === 48 && (wallHour >= 23 || wallHour < 6) && day.evWh[i]! >= 3300) y.evFullPowerNightHalfHours++;
        if (profile.pvKwp > 0) pvByMonth[month - 1]! += day.pvWh[i]! / profile.pvKwp;
        if (pc1Like && day.halfHours === 48 && (month === 12 || month <= 2) && weekday >= 1 && weekday <= 5) winterWeekdayShape[i]! += consumption;
        const hhStart = day.startUtc + i * 1_800_000;
        const touched = eventSpans.some((e) => e.startUtc < hhStart + 1_800_000 && e.startUtc + e.durationSeconds * 1000 > hhStart);
        const minV = day.voltage.minV[i]!;
        const maxV = day.voltage.maxV[i]!;
        if (touched) {
          eventMinV = Math.min(eventMinV, minV);
          eventMaxV = Math.max(eventMaxV, maxV);
          if (minV === 0) sawOutage = true;
        } else {
          steadyMinV = Math.min(steadyMinV, minV, day.voltage.meanV[i]!);
          steadyMaxV = Math.max(steadyMaxV, maxV, day.voltage.meanV[i]!);
        }
      }
      if (pc1Like && day.halfHours === 48 && (month === 12 || month <= 2) && weekday >= 1 && weekday <= 5) winterWeekdayDays++;
      y.consumptionKwh += dayKwh;
      if (month === 12 || month <= 2) y.winterKwh += dayKwh;
      if (month >= 6 && month <= 8) y.summerKwh += dayKwh;
    }
    homes.push(y);
  }
}, 300_000);

describe('annual consumption (Ofgem TDCV: typical 2,700 kWh; low 1,800, high 4,300)', () => {
  it('median import of homes without EV, heat pump or PV is 2,300–3,100 kWh', () => {
    const plain = homes.filter((h) => !h.profile.ev && h.profile.heating !== 'heat-pump' && h.profile.pvKwp === 0);
    expect(plain.length).toBeGreaterThan(80);
    const median = quantile(plain.map((h) => h.importKwh), 0.5);
    expect(median).toBeGreaterThanOrEqual(2300);
    expect(median).toBeLessThanOrEqual(3100);
  });

  it('spreads from the low to the high TDCV', () => {
    const plain = homes.filter((h) => !h.profile.ev && h.profile.heating === 'gas' && h.profile.pvKwp === 0).map((h) => h.importKwh);
    expect(quantile(plain, 0)).toBeLessThan(1900);
    expect(quantile(plain, 0.1)).toBeLessThan(2300);
    expect(quantile(plain, 0.9)).toBeGreaterThan(3700);
    expect(quantile(plain, 0.999)).toBeGreaterThan(4300);
  });

  it('uses more in winter than in summer (lighting, heating pumps, drying, time indoors)', () => {
    const plain = homes.filter((h) => !h.profile.ev && h.profile.heating === 'gas');
    const winter = plain.reduce((s, h) => s + h.winterKwh, 0) / 90;
    const summer = plain.reduce((s, h) => s + h.summerKwh, 0) / 92;
    expect(winter / summer).toBeGreaterThan(1.2);
  });

  it('storage-heater homes use several times more, heat-pump homes add a few thousand kWh', () => {
    const storage = homes.filter((h) => h.profile.heating === 'storage-heater' && !h.profile.ev);
    const gas = homes.filter((h) => h.profile.heating === 'gas' && !h.profile.ev);
    const hp = homes.filter((h) => h.profile.heating === 'heat-pump' && !h.profile.ev);
    const med = (xs: HomeYear[]): number => quantile(xs.map((h) => h.consumptionKwh), 0.5);
    expect(med(storage)).toBeGreaterThan(5000);
    expect(med(storage)).toBeLessThan(11000);
    expect(med(hp) - med(gas)).toBeGreaterThan(1500);
    expect(med(hp) - med(gas)).toBeLessThan(5000);
  });
});

describe('aggregate daily shape (Elexon profile class 1, winter weekday)', () => {
  it('peaks between 17:00 and 20:00', () => {
    const peak = winterWeekdayShape.indexOf(Math.max(...winterWeekdayShape));
    expect(peak).toBeGreaterThanOrEqual(34);
    expect(peak).toBeLessThan(40);
  });

  it('correlates with the PC1 shape (Pearson r > 0.8) and has its night trough', () => {
    expect(winterWeekdayDays).toBeGreaterThan(1000);
    expect(pearson(winterWeekdayShape, PC1_WINTER_WEEKDAY_KW)).toBeGreaterThan(0.8);
    const mean = winterWeekdayShape.reduce((s, v) => s + v, 0) / 48;
    const night = (winterWeekdayShape[8]! + winterWeekdayShape[9]!) / 2; // 04:00–05:00
    expect(night / mean).toBeLessThan(0.6);
  });
});

describe('rooftop PV (≈850–1,000 kWh per kWp per year; ~25–35% of homes, ~3–4 kWp)', () => {
  it('yields 800–1,050 kWh per kWp per year on average', () => {
    const pv = homes.filter((h) => h.profile.pvKwp > 0);
    const mean = pv.reduce((s, h) => s + h.pvKwh / h.profile.pvKwp, 0) / pv.length;
    expect(mean).toBeGreaterThanOrEqual(800);
    expect(mean).toBeLessThanOrEqual(1050);
  });

  it('is fitted to about a third of homes at 3–4 kWp typical', () => {
    const pv = homes.filter((h) => h.profile.pvKwp > 0);
    expect(pv.length / HOMES).toBeGreaterThan(0.2);
    expect(pv.length / HOMES).toBeLessThan(0.4);
    const median = quantile(pv.map((h) => h.profile.pvKwp), 0.5);
    expect(median).toBeGreaterThanOrEqual(3);
    expect(median).toBeLessThanOrEqual(4);
  });

  it('produces several times more in June than in December', () => {
    expect(pvByMonth[5]! / pvByMonth[11]!).toBeGreaterThan(3);
  });
});

describe('EVs (7 kW home chargers, ~15–20% of homes) and heat pumps (~10%)', () => {
  it('are fitted to plausible shares of homes', () => {
    const ev = homes.filter((h) => h.profile.ev).length / HOMES;
    const hp = homes.filter((h) => h.profile.heating === 'heat-pump').length / HOMES;
    expect(ev).toBeGreaterThan(0.1);
    expect(ev).toBeLessThan(0.27);
    expect(hp).toBeGreaterThan(0.05);
    expect(hp).toBeLessThan(0.17);
  });

  it('EV homes draw ≈7 kW half-hours at night and charge mostly in the evening and overnight', () => {
    const ev = homes.filter((h) => h.profile.ev);
    expect(ev.length).toBeGreaterThan(15);
    const overnightPlugIn = ev.filter((h) => h.profile.ev?.plugIn === 'overnight');
    for (const h of overnightPlugIn) expect(h.evFullPowerNightHalfHours).toBeGreaterThan(20);
    const share = ev.reduce((s, h) => s + h.evEveningNightKwh, 0) / ev.reduce((s, h) => s + h.evKwh, 0);
    expect(share).toBeGreaterThan(0.7);
    for (const h of ev) {
      expect(h.evKwh).toBeGreaterThan(800);
      expect(h.evKwh).toBeLessThan(7000);
    }
  });
});

describe(`supply voltage (ESQCR: ${LOWER_LIMIT_V}–${UPPER_LIMIT_V} V)`, () => {
  it('stays within the statutory limits outside events', () => {
    expect(steadyMinV).toBeGreaterThanOrEqual(LOWER_LIMIT_V);
    expect(steadyMaxV).toBeLessThanOrEqual(UPPER_LIMIT_V);
    // …and actually varies across the range rather than sitting at nominal.
    expect(steadyMaxV - steadyMinV).toBeGreaterThan(15);
  });

  it('events are rare (a handful per home per year) and leave the limits', () => {
    const perHome = homes.reduce((s, h) => s + h.voltageEvents, 0) / HOMES;
    expect(perHome).toBeGreaterThan(1);
    expect(perHome).toBeLessThan(10);
    expect(eventMinV).toBeLessThan(LOWER_LIMIT_V);
    expect(eventMaxV).toBeGreaterThan(UPPER_LIMIT_V);
    expect(sawOutage).toBe(true);
  });
});
