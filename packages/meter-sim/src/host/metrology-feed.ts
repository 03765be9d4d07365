/**
 * The meter's metrology front end: what the household model's simulated day becomes on its way to
 * the applets — half-hourly registers, half-hourly supply voltage, voltage excursions without their
 * ground-truth labels, and occupant activity steps without appliance names. The secure element then
 * gives each applet only the parts its privileges grant (registers: metrology; voltage and
 * excursions: voltage; activity steps: activity).
 */
import type { MetrologyDay } from '../secure-element/applet';
import type { HomeDay } from '../home/index';
import { plainNumbers } from '../secure-element/freeze-json';

/** One day's readings as the front end measures them (everything but the calendar fields). */
export type MetrologyReadings = Omit<MetrologyDay, 'date' | 'startUtc' | 'halfHours' | 'weekday'>;

/**
 * The readings of a simulated home day.
 * @param day - from `simulateHomeDay`.
 * @returns plain arrays (the feed is hardened and handed to compartments).
 */
export function readingsFromHomeDay(day: HomeDay): MetrologyReadings {
  return {
    importWh: plainNumbers(day.importWh),
    exportWh: plainNumbers(day.exportWh),
    voltage: { minV: plainNumbers(day.voltage.minV), maxV: plainNumbers(day.voltage.maxV), meanV: plainNumbers(day.voltage.meanV) },
    voltageExcursions: day.voltageEvents.map(({ startUtc, durationSeconds, extremeV }) => ({ startUtc, durationSeconds, extremeV })),
    activity: day.activity.map(({ minute, durationMinutes, watts }) => ({ minute, durationMinutes, watts })),
  };
}

/** A simulated home day as the full metrology feed of that local day. */
export function metrologyFromHomeDay(day: HomeDay, weekday: number): MetrologyDay {
  return { date: day.date, startUtc: day.startUtc, halfHours: day.halfHours, weekday, ...readingsFromHomeDay(day) };
}
