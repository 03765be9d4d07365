import { describe, expect, it } from 'vitest';
import { addDays, londonDay } from '../src/calendar';
import { createHomeProfile, dailyWeather, simulateHomeDay, sunTimes } from '../src/home/index';

describe('world weather', () => {
  it('is one deterministic series per world seed, shared by every home', () => {
    const a = dailyWeather('weather-a', '2025-02-03');
    expect(dailyWeather('weather-a', '2025-02-03')).toEqual(a);
    expect(dailyWeather('weather-b', '2025-02-03').meanTempC).not.toBe(a.meanTempC);
    expect(a.halfHourTempC.length).toBe(48);
    expect(dailyWeather('weather-a', '2025-03-30').halfHourCloud.length).toBe(46);
  });

  it('follows the GB seasons and changes smoothly from day to day', () => {
    const mean = (from: string, days: number): number => {
      let s = 0;
      for (let d = from, k = 0; k < days; k++, d = addDays(d, 1)) s += dailyWeather('weather-a', d).meanTempC;
      return s / days;
    };
    const jan = mean('2025-01-01', 31);
    const jul = mean('2025-07-01', 31);
    expect(jan).toBeGreaterThan(0);
    expect(jan).toBeLessThan(9);
    expect(jul).toBeGreaterThan(13);
    expect(jul).toBeLessThan(21);
    // Day-to-day changes are smaller than changes between random days (autocorrelated anomalies).
    let step = 0;
    let spread = 0;
    for (let d = '2025-01-01', k = 0; k < 300; k++, d = addDays(d, 1)) {
      step += Math.abs(dailyWeather('weather-a', addDays(d, 1)).meanTempC - dailyWeather('weather-a', d).meanTempC);
      spread += Math.abs(dailyWeather('weather-a', addDays(d, 37)).meanTempC - dailyWeather('weather-a', d).meanTempC);
    }
    expect(step).toBeLessThan(0.6 * spread);
  });

  it('can be computed for any date alone, in any order', () => {
    const later = dailyWeather('weather-order', '2031-05-17');
    for (let d = '2031-05-01'; d < '2031-05-20'; d = addDays(d, 1)) dailyWeather('weather-order', d);
    expect(dailyWeather('weather-order', '2031-05-17')).toEqual(later);
  });
});

describe('sun times (NOAA approximations)', () => {
  it('matches published London sunrise and sunset within 5 minutes', () => {
    // Published London times (e.g. timeanddate.com; 51.5 N, 0.13 W), in UTC.
    const june = sunTimes('2025-06-21', 51.5, -0.13);
    expect(Math.abs(june.sunriseUtc - Date.UTC(2025, 5, 21, 3, 43))).toBeLessThan(5 * 60_000);
    expect(Math.abs(june.sunsetUtc - Date.UTC(2025, 5, 21, 20, 21))).toBeLessThan(5 * 60_000);
    const december = sunTimes('2025-12-21', 51.5, -0.13);
    expect(Math.abs(december.sunriseUtc - Date.UTC(2025, 11, 21, 8, 4))).toBeLessThan(5 * 60_000);
    expect(Math.abs(december.sunsetUtc - Date.UTC(2025, 11, 21, 15, 53))).toBeLessThan(5 * 60_000);
  });
});

describe('weekday and weekend', () => {
  it('weekday mornings start earlier; weekend daytimes are busier', () => {
    const homes = Array.from({ length: 120 }, (_, i) => createHomeProfile('weekend-world', i)).filter((p) => !p.ev && p.heating === 'gas');
    const weekday = new Float64Array(48);
    const weekend = new Float64Array(48);
    let weekdays = 0;
    let weekends = 0;
    for (let d = '2025-01-06'; d < '2025-02-03'; d = addDays(d, 1)) {
      const isWeekend = londonDay(d).weekday % 6 === 0;
      for (const p of homes) {
        const day = simulateHomeDay(p, d);
        const into = isWeekend ? weekend : weekday;
        for (let i = 0; i < 48; i++) into[i]! += day.importWh[i]! - day.exportWh[i]! + day.pvWh[i]!;
      }
      if (isWeekend) weekends++;
      else weekdays++;
    }
    const avg = (a: Float64Array, n: number, from: number, to: number): number => a.slice(from, to).reduce((s, v) => s + v, 0) / n / (to - from);
    // 06:30–07:30 busier on weekdays; 10:00–13:00 busier at weekends.
    expect(avg(weekday, weekdays, 13, 15)).toBeGreaterThan(1.2 * avg(weekend, weekends, 13, 15));
    expect(avg(weekend, weekends, 20, 26)).toBeGreaterThan(1.2 * avg(weekday, weekdays, 20, 26));
  });
});
