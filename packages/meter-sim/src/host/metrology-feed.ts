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
import type { MetrologyInput } from '../secure-element/secure-element';

/**
 * One day's readings as the front end measures them (everything but the calendar fields). The
 * registers and voltages may be typed arrays: the card copies what it hands to applets.
 */
export type MetrologyReadings = Omit<MetrologyInput, 'date' | 'startUtc' | 'halfHours' | 'weekday'>;

/**
 * The readings of a simulated home day: its registers and voltages as they are (the card copies
 * them once into each day's feed), its excursions and activity steps without the model's labels.
 * @param day - from `simulateHomeDay`.
 */
export function readingsFromHomeDay(day: HomeDay): MetrologyReadings {
  return {
    importWh: day.importWh,
    exportWh: day.exportWh,
    voltage: day.voltage,
    voltageExcursions: day.voltageEvents.map(({ startUtc, durationSeconds, extremeV }) => ({ startUtc, durationSeconds, extremeV })),
    activity: day.activity.map(({ minute, durationMinutes, watts }) => ({ minute, durationMinutes, watts })),
  };
}

/** A simulated home day as the full metrology feed of that local day (plain arrays, as an applet receives them). */
export function metrologyFromHomeDay(day: HomeDay, weekday: number): MetrologyDay {
  const { voltage } = day;
  return {
    date: day.date,
    startUtc: day.startUtc,
    halfHours: day.halfHours,
    weekday,
    importWh: plainNumbers(day.importWh),
    exportWh: plainNumbers(day.exportWh),
    voltage: { minV: plainNumbers(voltage.minV), maxV: plainNumbers(voltage.maxV), meanV: plainNumbers(voltage.meanV) },
    voltageExcursions: day.voltageEvents.map(({ startUtc, durationSeconds, extremeV }) => ({ startUtc, durationSeconds, extremeV })),
    activity: day.activity.map(({ minute, durationMinutes, watts }) => ({ minute, durationMinutes, watts })),
  };
}
