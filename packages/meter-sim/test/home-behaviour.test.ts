import { describe, expect, it } from 'vitest';
import { addDays, londonDay } from '../src/calendar';
import { LOWER_LIMIT_V, UPPER_LIMIT_V, createHomeProfile, expandOccupancy, occupancyAt, OCCUPANCY_CODE, simulateHomeDay } from '../src/home/index';
import type { HomeDay, HomeProfile } from '../src/home/index';

const SEED = 'behaviour-world';
const sum = (a: ArrayLike<number>, from = 0, to = a.length): number => {
  let s = 0;
  for (let i = from; i < to; i++) s += a[i]!;
  return s;
};
const profiles = Array.from({ length: 300 }, (_, i) => createHomeProfile(SEED, i));
const find = (pred: (p: HomeProfile) => boolean): HomeProfile => {
  const p = profiles.find(pred);
  if (!p) throw new Error('no such home in the test world');
  return p;
};
/** Half-hour index of local wall time hh:mm on a 48-period day. */
const hh = (hours: number, minutes = 0): number => (hours * 60 + minutes) / 30;

describe('clock-change days (46 and 50 half-hours)', () => {
  for (const [date, periods] of [['2025-03-30', 46], ['2025-10-26', 50], ['2025-06-01', 48]] as const) {
    it(`${date} has ${periods} half-hours and every series matches`, () => {
      for (const p of profiles.slice(0, 30)) {
        const d = simulateHomeDay(p, date, { detail: 'minute' });
        expect(d.halfHours).toBe(periods);
        expect(d.startUtc).toBe(londonDay(date).startUtc);
        expect(d.startUtc + periods * 1_800_000).toBe(londonDay(addDays(date, 1)).startUtc);
        for (const series of [d.importWh, d.exportWh, d.pvWh, d.evWh, d.heatPumpWh, d.voltage.minV, d.voltage.maxV, d.voltage.meanV]) {
          expect(series.length).toBe(periods);
        }
        expect(d.minute?.importW.length).toBe(periods * 30);
        expect(d.minute?.voltage.length).toBe(periods * 30);
        expect(d.occupancy[0]?.fromMinute).toBe(0);
        expect(d.occupancy[d.occupancy.length - 1]?.toMinute).toBe(periods * 30);
        // The minutes add up to each half hour's net energy (rounding: ≤ 1 Wh per half hour plus ½ W per minute).
        for (let i = 0; i < periods; i++) {
          const minuteWh = sum(d.minute!.importW, i * 30, i * 30 + 30) / 60;
          expect(Math.abs(minuteWh - (d.importWh[i]! - d.exportWh[i]!))).toBeLessThan(1.5);
        }
      }
    });
  }

  it('the always-on load scales with the length of the day (23 h, 24 h, 25 h)', () => {
    // A home away on holiday draws only standby and the fridge: the day's energy follows its length.
    let checked = 0;
    for (const p of profiles) {
      if (p.ev || p.heating !== 'gas' || p.pvKwp > 0) continue;
      const holiday = p.holidays.find((h) => h.startDayOfYear <= 80 && h.startDayOfYear + h.days > 95);
      if (!holiday) continue;
      const spring = sum(simulateHomeDay(p, '2025-03-30').importWh);
      const before = sum(simulateHomeDay(p, '2025-03-29').importWh);
      expect(spring / before).toBeGreaterThan(21 / 24);
      expect(spring / before).toBeLessThan(24 / 24);
      checked++;
    }
    const autumn = profiles.filter((p) => !p.ev && p.heating === 'gas' && p.pvKwp === 0 && p.holidays.some((h) => h.startDayOfYear <= 295 && h.startDayOfYear + h.days > 300));
    for (const p of autumn) {
      const long = sum(simulateHomeDay(p, '2025-10-26').importWh);
      const before = sum(simulateHomeDay(p, '2025-10-25').importWh);
      expect(long / before).toBeGreaterThan(24 / 24);
      expect(long / before).toBeLessThan(27 / 24);
      checked++;
    }
    expect(checked).toBeGreaterThan(0);
  });
});

describe('occupancy ground truth', () => {
  it('covers every minute of the day with contiguous intervals', () => {
    for (const p of profiles.slice(0, 100)) {
      for (const date of ['2025-01-06', '2025-03-30', '2025-07-12', '2025-10-26', '2025-12-25']) {
        const d = simulateHomeDay(p, date);
        let t = 0;
        for (const iv of d.occupancy) {
          expect(iv.fromMinute).toBe(t);
          expect(iv.toMinute).toBeGreaterThan(iv.fromMinute);
          t = iv.toMinute;
        }
        expect(t).toBe(d.halfHours * 30);
        const codes = expandOccupancy(d.occupancy, d.halfHours * 30);
        for (const m of [0, 400, 700, 1100, d.halfHours * 30 - 1]) expect(codes[m]).toBe(OCCUPANCY_CODE[occupancyAt(d.occupancy, m)]);
      }
    }
  });

  it('differs by archetype: workers are away on weekdays, night workers are asleep by day', () => {
    const awayAtNoon = (p: HomeProfile, date: string): boolean => occupancyAt(simulateHomeDay(p, date).occupancy, 12 * 60) === 'away';
    const workers = profiles.filter((p) => p.archetype === 'working-couple' || p.archetype === 'family');
    const weekdays = ['2025-01-07', '2025-01-08', '2025-01-09', '2025-02-11', '2025-05-14'];
    const away = workers.flatMap((p) => weekdays.map((d) => awayAtNoon(p, d))).filter(Boolean).length;
    expect(away / (workers.length * weekdays.length)).toBeGreaterThan(0.5);
    const pensioners = profiles.filter((p) => p.archetype === 'single-pensioner');
    const pensionerAway = pensioners.flatMap((p) => weekdays.map((d) => awayAtNoon(p, d))).filter(Boolean).length;
    expect(pensionerAway / (pensioners.length * weekdays.length)).toBeLessThan(0.4);
    const night = profiles.filter((p) => p.archetype === 'night-shift');
    // Tuesday after a Monday night shift: asleep around 11:00, away at 02:00.
    const asleepMorning = night.filter((p) => occupancyAt(simulateHomeDay(p, '2025-01-07').occupancy, 11 * 60) === 'asleep').length;
    const awayNight = night.filter((p) => occupancyAt(simulateHomeDay(p, '2025-01-07').occupancy, 2 * 60) === 'away').length;
    expect(asleepMorning / night.length).toBeGreaterThan(0.7);
    expect(awayNight / night.length).toBeGreaterThan(0.7);
  });

  it('appliance activity happens only while someone is home and awake', () => {
    let events = 0;
    for (const p of profiles.slice(0, 100)) {
      const d = simulateHomeDay(p, '2025-02-04');
      for (const e of d.activity) {
        expect(occupancyAt(d.occupancy, e.minute)).toBe('home');
        events++;
      }
    }
    expect(events).toBeGreaterThan(1000);
  });

  it('lighting follows daylight: on much longer in December than in June', () => {
    let dec = 0;
    let jun = 0;
    for (const p of profiles.slice(0, 60)) {
      for (const e of simulateHomeDay(p, '2025-12-10').activity) if (e.appliance === 'lighting') dec += e.durationMinutes;
      for (const e of simulateHomeDay(p, '2025-06-11').activity) if (e.appliance === 'lighting') jun += e.durationMinutes;
    }
    expect(dec).toBeGreaterThan(2.5 * jun);
  });
});

describe('incidents', () => {
  const home = find((p) => p.archetype === 'single-pensioner' && p.holidays.every((h) => h.startDayOfYear > 40 || h.startDayOfYear + h.days < 20));
  const date = '2025-01-22';

  it("'no-activity-day': nobody gets up and no appliance is used, but base loads continue", () => {
    const normal = simulateHomeDay(home, date);
    const incident = simulateHomeDay(home, date, { incidents: [{ kind: 'no-activity-day', date }] });
    expect(normal.activity.length).toBeGreaterThan(5);
    expect(incident.activity).toEqual([]);
    expect(incident.occupancy).toEqual([{ fromMinute: 0, toMinute: 1440, state: 'asleep' }]);
    expect(incident.incidents).toEqual([{ kind: 'no-activity-day', date }]);
    for (let i = 0; i < 48; i++) expect(incident.importWh[i]).toBeGreaterThan(10); // fridge and standby
    expect(sum(incident.importWh)).toBeLessThan(0.7 * sum(normal.importWh));
  });

  it("'disturbed-night': activity in the middle of the sleep window, the rest of the day unchanged", () => {
    const normal = simulateHomeDay(home, date);
    const incident = simulateHomeDay(home, date, { incidents: [{ kind: 'disturbed-night', date }] });
    const sleep = normal.occupancy.filter((iv) => iv.state === 'asleep').sort((a, b) => b.toMinute - b.fromMinute - (a.toMinute - a.fromMinute))[0]!;
    const inSleep = (m: number): boolean => m > sleep.fromMinute + 30 && m < sleep.toMinute - 30;
    expect(normal.activity.filter((e) => inSleep(e.minute))).toEqual([]);
    const night = incident.activity.filter((e) => inSleep(e.minute));
    expect(night.length).toBeGreaterThanOrEqual(2);
    expect(night.some((e) => e.appliance === 'kettle')).toBe(true);
    expect(incident.occupancy.some((iv) => iv.state === 'home' && inSleep(iv.fromMinute))).toBe(true);
    expect(incident.activity.filter((e) => !inSleep(e.minute))).toEqual(normal.activity.filter((e) => !inSleep(e.minute)));
  });

  it('applies only on the incident date', () => {
    const next = simulateHomeDay(home, addDays(date, 1), { incidents: [{ kind: 'no-activity-day', date }] });
    expect(next.incidents).toEqual([]);
    expect(next.activity.length).toBeGreaterThan(5);
  });
});

describe('load control', () => {
  const evHome = find((p) => p.ev?.plugIn === 'overnight' && p.ev.chargeEveryDays === 1 && p.holidays.length === 0);
  /** A day whose charging session starts at 23:30 and runs on past 00:30. */
  let found: string | undefined;
  const evDayOf = (): string => {
    for (let d = '2025-01-06'; !found && d < '2025-03-01'; d = addDays(d, 1)) {
      const next = simulateHomeDay(evHome, addDays(d, 1));
      if (simulateHomeDay(evHome, d).evWh[47]! > 2000 && next.evWh[0]! >= 3000 && next.evWh[1]! > 500) found = d;
    }
    if (!found) throw new Error('no overnight charging found');
    return found;
  };

  it('an EV switched off over midnight charges later, delivering the same energy', () => {
    const evDay = evDayOf();
    const next = addDays(evDay, 1);
    const start = londonDay(next).startUtc;
    const controls = [{ device: 'ev' as const, fromUtc: start - 3_600_000, toUtc: start + 2 * 3_600_000, limitKw: 0 }];
    const free = [simulateHomeDay(evHome, evDay), simulateHomeDay(evHome, next)];
    const capped = [simulateHomeDay(evHome, evDay, { controls }), simulateHomeDay(evHome, next, { controls })];
    // 23:00–02:00 is off …
    expect(capped[0]!.evWh[46]).toBe(0);
    expect(capped[0]!.evWh[47]).toBe(0);
    for (let i = 0; i < 4; i++) expect(capped[1]!.evWh[i]).toBe(0);
    expect(sum(free[0]!.evWh, 46) + sum(free[1]!.evWh, 0, 4)).toBeGreaterThan(5000);
    // … and the charging moves later: more after 02:00 than without control, the same in total.
    expect(sum(capped[1]!.evWh, 4, 20)).toBeGreaterThan(sum(free[1]!.evWh, 4, 20) + 3000);
    const totalFree = sum(free[0]!.evWh) + sum(free[1]!.evWh, 0, 20);
    const totalCapped = sum(capped[0]!.evWh) + sum(capped[1]!.evWh, 0, 20);
    expect(Math.abs(totalCapped - totalFree)).toBeLessThan(10);
    // Import follows the device.
    expect(sum(capped[1]!.importWh, 0, 4)).toBeLessThan(sum(free[1]!.importWh, 0, 4) - 3000);
  });

  it('a partial cap limits the charger to the cap', () => {
    const evDay = evDayOf();
    const start = londonDay(evDay).startUtc;
    const controls = [{ device: 'ev' as const, fromUtc: start + 22 * 3_600_000, toUtc: start + 24 * 3_600_000, limitKw: 3 }];
    const capped = simulateHomeDay(evHome, evDay, { controls });
    for (let i = hh(22); i < 48; i++) expect(capped.evWh[i]).toBeLessThanOrEqual(1500);
    expect(capped.evWh[47]).toBeGreaterThan(1000);
  });

  it('a heat pump switched off at the evening peak draws nothing then and catches up afterwards', () => {
    const hpHome = find((p) => p.heating === 'heat-pump' && p.holidays.every((h) => h.startDayOfYear > 20));
    const date = '2025-01-14';
    const start = londonDay(date).startUtc;
    const controls = [{ device: 'heat-pump' as const, fromUtc: start + 16 * 3_600_000, toUtc: start + 19 * 3_600_000, limitKw: 0 }];
    const free = simulateHomeDay(hpHome, date);
    const capped = simulateHomeDay(hpHome, date, { controls });
    expect(sum(free.heatPumpWh, hh(16), hh(19))).toBeGreaterThan(1000);
    for (let i = hh(16); i < hh(19); i++) expect(capped.heatPumpWh[i]).toBe(0);
    expect(sum(capped.heatPumpWh, hh(19), hh(22))).toBeGreaterThan(sum(free.heatPumpWh, hh(19), hh(22)) + 300);
    expect(sum(capped.heatPumpWh, 0, hh(16))).toBe(sum(free.heatPumpWh, 0, hh(16)));
    expect(sum(capped.importWh, hh(16), hh(19))).toBeLessThan(sum(free.importWh, hh(16), hh(19)) - 1000);
  });

  it('a window for one device leaves the other alone', () => {
    const evDay = evDayOf();
    const start = londonDay(evDay).startUtc;
    const controls = [{ device: 'heat-pump' as const, fromUtc: start, toUtc: start + 24 * 3_600_000, limitKw: 0 }];
    expect(Array.from(simulateHomeDay(evHome, evDay, { controls }).evWh)).toEqual(Array.from(simulateHomeDay(evHome, evDay).evWh));
  });
});

describe('voltage events', () => {
  /** The first day in 2025 on which `home` sees an event of `kind`. */
  function dayWith(kind: 'sag' | 'swell' | 'outage'): { home: HomeProfile; day: HomeDay } {
    for (let d = '2025-01-01'; d < '2026-01-01'; d = addDays(d, 1)) {
      for (const home of profiles.filter((_, i) => i % 10 === 0)) {
        const day = simulateHomeDay(home, d);
        if (day.voltageEvents.some((e) => e.kind === kind && e.startUtc + e.durationSeconds * 1000 < day.startUtc + day.halfHours * 1_800_000)) return { home, day };
      }
    }
    throw new Error(`no ${kind} in a year`);
  }

  it('a sag takes the half-hour minimum below 216.2 V', () => {
    const { day } = dayWith('sag');
    const e = day.voltageEvents.find((v) => v.kind === 'sag')!;
    const i = Math.floor((e.startUtc - day.startUtc) / 1_800_000);
    expect(e.extremeV).toBeLessThan(LOWER_LIMIT_V);
    expect(day.voltage.minV[i]).toBeCloseTo(e.extremeV, 3);
  });

  it('a swell takes the half-hour maximum above 253 V', () => {
    const { day } = dayWith('swell');
    const e = day.voltageEvents.find((v) => v.kind === 'swell')!;
    const i = Math.floor((e.startUtc - day.startUtc) / 1_800_000);
    expect(e.extremeV).toBeGreaterThan(UPPER_LIMIT_V);
    expect(day.voltage.maxV[i]).toBeCloseTo(e.extremeV, 3);
  });

  it('an outage zeroes the voltage and the import while it lasts, for every home on the feeder', () => {
    const { home, day } = dayWith('outage');
    const e = day.voltageEvents.find((v) => v.kind === 'outage')!;
    const i = Math.floor((e.startUtc - day.startUtc) / 1_800_000);
    expect(day.voltage.minV[i]).toBe(0);
    const minute = simulateHomeDay(home, day.date, { detail: 'minute' }).minute!;
    const m = Math.ceil((e.startUtc - day.startUtc) / 60_000) + 1;
    expect(minute.voltage[m]).toBe(0);
    expect(minute.importW[m]).toBe(0);
    const neighbour = profiles.find((p) => p.feederId === home.feederId && p.index !== home.index)!;
    expect(simulateHomeDay(neighbour, day.date).voltageEvents).toEqual(day.voltageEvents);
  });
});
