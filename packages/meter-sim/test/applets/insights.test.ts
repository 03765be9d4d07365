// Insights applet: the householder's budget, breakdown and tips — and nothing off the meter.
import { describe, expect, it } from 'vitest';
import { datesBetween, londonDay } from '../../src/calendar';
import { createHomeProfile, simulateHomeDay } from '../../src/home/index';
import { loadApplet, metrologyDay, metrologyFromHomeDay } from './harness';

describe('insights', () => {
  it('has no outbox: it declares no outbox capability and sends nothing over a simulated month', () => {
    const applet = loadApplet('insights');
    expect(applet.manifest.sends).toEqual([]);
    expect(applet.manifest.capabilities).not.toContain('outbox');
    const profile = createHomeProfile('insights-world', 3);
    for (const date of datesBetween('2025-01-01', '2025-02-01')) applet.feed(metrologyFromHomeDay(simulateHomeDay(profile, date), londonDay(date).weekday));
    expect(applet.sent).toEqual([]);
    const view = applet.command('view', {});
    expect(view.status).toBe(0x9000);
    expect(view.body).toMatchObject({ result: 'applied', period: '2025-01', budgetPence: 6000 });
    expect((view.body.recent as unknown[]).length).toBe(7);
  });

  it('estimates the month to date at the householder\'s rates and projects it against the budget', () => {
    const applet = loadApplet('insights');
    expect(applet.command('set-budget', { monthlyBudgetPence: 5000, unitRate: 20_000, standingCharge: 50_000 }).body.result).toBe('applied');
    for (const date of datesBetween('2025-04-01', '2025-04-11')) applet.feed(metrologyDay(date, { importWh: 250 })); // 12 kWh a day
    const view = applet.command('view', {}).body;
    // 10 days × (12 kWh × 20 p + 50 p) = 2,900 p; projected over 30 days 8,700 p.
    expect(view).toMatchObject({ period: '2025-04', importWh: 120_000, estimatedPence: 2900, projectedPence: 8700, onTrack: false });
    expect((view.tips as string[]).some((t) => t.includes('over your £50.00 budget'))).toBe(true);
    // A flat 250 Wh every half hour is all baseload: the always-on tip fires.
    expect((view.tips as string[]).some((t) => t.startsWith('Always-on'))).toBe(true);
  });

  it('breaks the last week down into baseload, evening peak (16:00–19:00) and night, on clock-change days too', () => {
    const applet = loadApplet('insights');
    const day = metrologyDay('2025-10-26', { importWh: (i) => (i >= 34 && i < 40 ? 1000 : 100) }); // 50 periods: 16:00 is period 34
    applet.feed(day);
    const { breakdown } = applet.command('view', {}).body as { breakdown: { baseloadWh: number; eveningPeakWh: number; nightWh: number } };
    expect(breakdown.eveningPeakWh).toBe(6000);
    expect(breakdown.baseloadWh).toBe(100 * 50);
    expect(breakdown.nightWh).toBe(100 * 16); // 00:00–07:00 wall clock is 8 hours of periods on this day
  });

  it('refuses bad settings and unknown commands', () => {
    const applet = loadApplet('insights');
    expect(applet.command('set-budget', { unitRate: -1 }).status).toBe(0x6a80);
    expect(applet.command('set-budget', { monthlyBudgetPence: 1.5 }).status).toBe(0x6a80);
    expect(applet.command('export', {}).status).toBe(0x6d00);
  });
});
