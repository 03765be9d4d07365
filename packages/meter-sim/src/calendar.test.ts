import { describe, expect, it } from 'vitest';
import { addDays, londonDateOf, londonDay, londonMidnightUtc, londonMinuteOfDay, nextMonthStart, parseLocalDate } from './calendar';

describe('Europe/London local days', () => {
  it('has 46 half-hours on the spring clock change and 50 on the autumn one (2025: 30 Mar, 26 Oct)', () => {
    expect(londonDay('2025-03-30').halfHours).toBe(46);
    expect(londonDay('2025-10-26').halfHours).toBe(50);
    expect(londonDay('2025-03-29').halfHours).toBe(48);
    expect(londonDay('2025-07-01').halfHours).toBe(48);
    expect(londonDay('2024-03-31').halfHours).toBe(46);
    expect(londonDay('2024-10-27').halfHours).toBe(50);
  });

  it('places local midnight at 23:00 UTC the day before during summer time', () => {
    expect(new Date(londonMidnightUtc('2025-07-01')).toISOString()).toBe('2025-06-30T23:00:00.000Z');
    expect(new Date(londonMidnightUtc('2025-01-15')).toISOString()).toBe('2025-01-15T00:00:00.000Z');
  });

  it('agrees with the platform time-zone database for every hour of 2025', () => {
    const fmt = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
    for (let t = Date.UTC(2025, 0, 1); t < Date.UTC(2026, 0, 1); t += 3_600_000) {
      const parts = Object.fromEntries(fmt.formatToParts(t).map((p) => [p.type, p.value]));
      expect(londonDateOf(t)).toBe(`${parts.year}-${parts.month}-${parts.day}`);
      expect(londonMinuteOfDay(t)).toBe(Number(parts.hour) * 60 + Number(parts.minute));
    }
  });

  it('moves across months and years', () => {
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
    expect(addDays('2024-12-31', 1)).toBe('2025-01-01');
    expect(nextMonthStart('2025-12-15')).toBe('2026-01-01');
  });

  it('refuses malformed and impossible dates', () => {
    expect(() => parseLocalDate('2025-2-1')).toThrow(TypeError);
    expect(() => parseLocalDate('2025-02-30')).toThrow(RangeError);
  });
});
