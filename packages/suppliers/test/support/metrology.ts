/**
 * Metrology days as the meter core feeds them to applets (packages/meter-sim `MetrologyDay`): the
 * local date, its UTC start and half-hour count (Europe/London), half-hourly registers and, where an
 * applet needs them, voltage excursions and occupant activity steps.
 */
import { londonMidnight } from '@hydra/db';

/** Half hours of a local date (46 or 50 on clock-change days). */
export function halfHoursOf(date: string): number {
  const start = londonMidnight(date).getTime();
  const next = new Date(`${date}T00:00:00Z`);
  next.setUTCDate(next.getUTCDate() + 1);
  return Math.round((londonMidnight(next.toISOString().slice(0, 10)).getTime() - start) / 1_800_000);
}

/** The date `days` after `date`. */
export function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** A metrology day. */
export function metrologyDay(
  date: string,
  fill: { importWh?: (period: number) => number; voltageExcursions?: { startUtc: number; durationSeconds: number; extremeV: number }[]; activity?: { minute: number; durationMinutes: number; watts: number }[] } = {},
): Record<string, unknown> {
  const halfHours = halfHoursOf(date);
  return {
    date,
    startUtc: londonMidnight(date).getTime(),
    halfHours,
    weekday: new Date(`${date}T12:00:00Z`).getUTCDay(),
    importWh: Array.from({ length: halfHours }, (_, t) => fill.importWh?.(t) ?? 0),
    exportWh: Array.from({ length: halfHours }, () => 0),
    ...(fill.voltageExcursions ? { voltageExcursions: fill.voltageExcursions } : {}),
    ...(fill.activity ? { activity: fill.activity } : {}),
  };
}
