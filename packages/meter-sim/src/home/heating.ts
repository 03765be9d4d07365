/**
 * Electric heating: heat pumps (weather-compensated, running most of the day with a night
 * set-back, hot water before the household wakes) and storage heaters (charged in the Economy 7
 * night window from the day's forecast, with an overnight immersion heater). Heat demand uses
 * degree-hours against a 15.5 °C base (the UK degree-day convention) and the home's heat-loss
 * coefficient; heat-pump COP rises with outdoor temperature (≈2.4 at −3 °C, ≈3.1 at 7 °C).
 */
import { forEachCappedPiece } from './controls';
import type { CapWindow } from './controls';
import type { LoadAccumulator } from './load-accumulator';
import { wallToElapsed } from './occupancy';
import type { HomeProfile, OccupancyInterval } from './types';

/** Heat-pump coefficient of performance at outdoor temperature `tempC`. */
export function heatPumpCop(tempC: number): number {
  return Math.min(4.2, Math.max(1.8, 2.6 + 0.07 * tempC));
}

/**
 * Adds the heat pump's demand, capped by load-control windows. Heat not delivered under a cap is
 * made up afterwards where the compressor has headroom (the rebound that makes the day's demand
 * visibly follow a control), decaying by 10% per half hour as the house cools.
 * @param tempC - outdoor temperature per half hour at the home
 * @param wakeMinute - elapsed minute the household gets up (hot water is heated before it)
 */
export function accumulateHeatPump(
  profile: HomeProfile,
  tempC: Float64Array,
  occupancy: readonly OccupancyInterval[],
  halfHours: number,
  wakeMinute: number,
  windows: readonly CapWindow[],
  total: LoadAccumulator,
  heatPump: LoadAccumulator,
): void {
  const maxW = profile.heatPumpKw * 1000;
  const dhwWh = (1500 + 900 * profile.occupants) / 2.3;
  const dhwFrom = wakeMinute - 90;
  let carryWh = 0;
  let k = 0;
  for (let i = 0; i < halfHours; i++) {
    const from = i * 30;
    const to = from + 30;
    const mid = from + 15;
    while (k < occupancy.length - 1 && (occupancy[k]?.toMinute ?? 0) <= mid) k++;
    const state = occupancy[k]?.state ?? 'home';
    const t = tempC[i] ?? 10;
    const base = state === 'home' ? 15.5 : state === 'asleep' ? 14 : 13.5;
    let wantW = (profile.heatLossWPerK * Math.max(0, base - t)) / heatPumpCop(t);
    if (mid >= dhwFrom && mid < dhwFrom + 60) wantW += dhwWh; // one hour of hot-water heating
    if (wantW > maxW) wantW = maxW;
    let deficitWh = carryWh;
    let unmetWh = 0;
    forEachCappedPiece(from, to, windows, maxW, (a, b, cap) => {
      const hours = (b - a) / 60;
      let p = Math.min(wantW, cap);
      unmetWh += (wantW - p) * hours;
      const headroom = cap - p;
      if (headroom > 0 && deficitWh > 0) {
        const extra = Math.min(headroom, deficitWh / hours);
        p += extra;
        deficitWh -= extra * hours;
      }
      total.add(a, b, p);
      heatPump.add(a, b, p);
    });
    carryWh = Math.min(8000, (deficitWh + unmetWh) * 0.9);
  }
}

/**
 * Adds storage-heater charging (Economy 7, 00:30–07:30 on the wall clock) sized from the day's mean
 * temperature, and an overnight immersion heater for hot water.
 * @param halfHours - half hours in the local day (wall-clock minutes become elapsed ones)
 */
export function accumulateStorageHeater(
  profile: HomeProfile,
  meanTempC: number,
  halfHours: number,
  immersionMinutes: number,
  total: LoadAccumulator,
): void {
  const needKwh = (profile.heatLossWPerK * 24 * Math.max(0, 15.5 - meanTempC)) / 1000;
  const chargeKwh = Math.min(profile.storageHeaterKw * 7, needKwh * 0.85);
  if (chargeKwh > 0) total.add(wallToElapsed(30, halfHours), wallToElapsed(450, halfHours), (chargeKwh * 1000) / 7);
  total.add(wallToElapsed(240, halfHours), wallToElapsed(240, halfHours) + immersionMinutes, 3000);
}
