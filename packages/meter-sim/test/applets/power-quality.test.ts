// Power-quality applet: sags, swells and outages from the voltage feed, and nothing else.
import { describe, expect, it } from 'vitest';
import { datesBetween, londonDay } from '../../src/calendar';
import { createHomeProfile, simulateHomeDay } from '../../src/home/index';
import type { VoltageEvent } from '../../src/home/index';
import { loadApplet, metrologyDay, metrologyFromHomeDay } from './harness';

const SEED = 'pq-world';

describe('power-quality: detection against the household model\'s ground truth', () => {
  it('reports every sag, swell and outage of a year on several feeders exactly, and nothing on quiet days', () => {
    const truth: VoltageEvent[] = [];
    const reported: unknown[] = [];
    let quietDaysWithReports = 0;
    for (let index = 0; index < 6; index++) {
      const profile = createHomeProfile(SEED, index);
      const applet = loadApplet('power-quality');
      for (const date of datesBetween('2025-01-01', '2026-01-01')) {
        const day = simulateHomeDay(profile, date);
        const before = applet.sent.length;
        applet.feed(metrologyFromHomeDay(day, londonDay(date).weekday));
        truth.push(...day.voltageEvents);
        if (day.voltageEvents.length === 0 && applet.sent.length > before) quietDaysWithReports++;
      }
      reported.push(...applet.sent.map((s) => s.body));
      expect(new Set(applet.sent.map((s) => s.messageClass))).toEqual(new Set(applet.sent.length ? ['power-quality-event'] : []));
    }
    expect(truth.length).toBeGreaterThan(10); // ≈ 5 events per feeder-year
    expect(quietDaysWithReports).toBe(0);
    expect(reported).toEqual(
      truth.map((e) => ({ type: e.kind, start: e.startUtc, durationSeconds: e.durationSeconds, extremeV: e.kind === 'outage' ? 0 : Math.round(e.extremeV * 10) / 10 })),
    );
  });

  it('classifies by the statutory limits: 216.2 V and 253 V are inside the band', () => {
    const applet = loadApplet('power-quality');
    const t0 = londonDay('2025-02-01').startUtc;
    applet.feed({
      ...metrologyDay('2025-02-01'),
      voltageExcursions: [
        { startUtc: t0 + 1000_000, durationSeconds: 30, extremeV: 216.2 },
        { startUtc: t0 + 2000_000, durationSeconds: 30, extremeV: 216.1 },
        { startUtc: t0 + 3000_000, durationSeconds: 30, extremeV: 253 },
        { startUtc: t0 + 4000_000, durationSeconds: 30, extremeV: 253.1 },
        { startUtc: t0 + 5000_000, durationSeconds: 600, extremeV: 0 },
      ],
    });
    expect(applet.sent.map((s) => s.body)).toEqual([
      { type: 'sag', start: t0 + 2000_000, durationSeconds: 30, extremeV: 216.1 },
      { type: 'swell', start: t0 + 4000_000, durationSeconds: 30, extremeV: 253.1 },
      { type: 'outage', start: t0 + 5000_000, durationSeconds: 600, extremeV: 0 },
    ]);
  });

  it('merges back-to-back excursions of one type, drops sub-second blips, and honours the DNO\'s thresholds', () => {
    const applet = loadApplet('power-quality');
    const t0 = londonDay('2025-02-02').startUtc;
    const excursions = [
      { startUtc: t0, durationSeconds: 20, extremeV: 210 },
      { startUtc: t0 + 20_500, durationSeconds: 10, extremeV: 200 },
      { startUtc: t0 + 100_000, durationSeconds: 0.2, extremeV: 205 },
    ];
    applet.feed({ ...metrologyDay('2025-02-02'), voltageExcursions: excursions });
    expect(applet.drain().map((s) => s.body)).toEqual([{ type: 'sag', start: t0, durationSeconds: 31, extremeV: 200 }]);
    expect(applet.command('configure', { sagBelowV: 205 }).body).toEqual({ result: 'applied', reason: null });
    applet.feed({ ...metrologyDay('2025-02-02'), voltageExcursions: excursions });
    expect(applet.drain().map((s) => s.body)).toEqual([{ type: 'sag', start: t0 + 20_500, durationSeconds: 10, extremeV: 200 }]);
    expect(applet.command('configure', { sagBelowV: 240 }).status).toBe(0x6a80);
    expect(applet.command('configure', { swellAboveV: 'high' }).status).toBe(0x6a80);
  });

  it('falls back to half-hour resolution when only the half-hourly voltage is fed', () => {
    const profile = createHomeProfile(SEED, 0);
    const applet = loadApplet('power-quality');
    let checked = 0;
    for (const date of datesBetween('2025-01-01', '2026-01-01')) {
      const day = simulateHomeDay(profile, date);
      const { voltageExcursions: _dropped, ...halfHourly } = metrologyFromHomeDay(day, londonDay(date).weekday);
      applet.feed(halfHourly);
      const found = applet.drain().map((s) => s.body as { type: string; start: number; durationSeconds: number });
      for (const e of day.voltageEvents) {
        // Each true event lies inside a reported event of its type.
        const hit = found.find((f) => f.type === e.kind && f.start <= e.startUtc && f.start + f.durationSeconds * 1000 >= Math.min(e.startUtc + e.durationSeconds * 1000, day.startUtc + day.halfHours * 1_800_000));
        expect(hit, `${date} ${e.kind}`).toBeDefined();
        checked++;
      }
      if (day.voltageEvents.length === 0) expect(found).toEqual([]);
    }
    expect(checked).toBeGreaterThan(0);
  });
});
