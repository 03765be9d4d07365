/**
 * Supply voltage at a home's terminals, and the feeder's power-quality events.
 * Steady state: the feeder's source voltage (transformer tap, ≈241 V) with a slow feeder-wide
 * wander, minus the drop along the feeder as the feeder's load follows the domestic profile
 * (worse the further out the home), minus the drop in the home's own service cable under its own
 * load, plus the rise when the feeder's PV and the home's own export push power back. Voltage
 * regulation keeps the steady state inside the statutory limits (ESQCR 2002: 230 V +10% / −6%,
 * 216.2–253 V); only events leave them. Events are feeder-wide (every home on a feeder sees them):
 * about three sags, one swell and one outage (≥ 3 min) per feeder per year, outages likelier in
 * winter. Rates are modelling assumptions (README).
 */
import { londonDay } from '../calendar';
import { forkPrng } from '../prng';
import type { HomeProfile, VoltageEvent } from './types';

/** Statutory limits (ESQCR 2002). */
export const NOMINAL_V = 230;
export const UPPER_LIMIT_V = 253;
export const LOWER_LIMIT_V = 216.2;

/**
 * Elexon profile class 1 winter weekday shape (kW per half hour from 00:00), uk-reference.json
 * pc1_winter_weekday_kw_per_half_hour; used for the feeder's aggregate loading.
 */
export const PC1_WINTER_WEEKDAY_KW = [
  0.33, 0.28, 0.25, 0.23, 0.22, 0.21, 0.21, 0.2, 0.2, 0.21, 0.22, 0.24, 0.31, 0.39, 0.52, 0.63, 0.62, 0.57, 0.52, 0.5, 0.49, 0.48,
  0.47, 0.47, 0.49, 0.49, 0.47, 0.45, 0.44, 0.46, 0.47, 0.53, 0.64, 0.78, 0.89, 0.92, 0.92, 0.91, 0.88, 0.84, 0.8, 0.78, 0.77, 0.72,
  0.67, 0.59, 0.49, 0.41,
];

const PC1_PEAK_KW = Math.max(...PC1_WINTER_WEEKDAY_KW);

/** Elapsed minute → wall-clock minute (inverse of wallToElapsed away from the gap). */
function wallMinuteOf(elapsed: number, halfHours: number): number {
  if (halfHours === 46) return elapsed < 60 ? elapsed : elapsed + 60;
  if (halfHours === 50) return elapsed < 120 ? elapsed : elapsed - 60;
  return elapsed;
}

/**
 * The feeder's loading (0…1) in each half hour of a local day: the domestic profile on the wall
 * clock, lighter in summer. The same for every feeder on a date (shared through the day context).
 * @param summer - 0 mid-winter … 1 mid-summer
 */
export function feederLoading(halfHours: number, summer: number): Float64Array {
  const out = new Float64Array(halfHours);
  const seasonLoad = 0.65 + 0.35 * (1 - summer);
  for (let i = 0; i < halfHours; i++) {
    const wallHalfHour = Math.min(47, Math.floor(wallMinuteOf(i * 30 + 15, halfHours) / 30));
    out[i] = ((PC1_WINTER_WEEKDAY_KW[wallHalfHour] ?? 0.5) / PC1_PEAK_KW) * seasonLoad;
  }
  return out;
}

/** Per-year event rates per feeder. */
const SAGS_PER_YEAR = 3;
const SWELLS_PER_YEAR = 1;
const OUTAGES_PER_YEAR = 0.8;

/** What every home on a feeder shares on one day. */
export interface FeederDay {
  /** Slow feeder-wide voltage wander per half hour, V. */
  wanderV: Float64Array;
  /** Events starting on this day (UTC instants). */
  events: VoltageEvent[];
}

/** The feeder-wide wander and events of local `date` (pure; memoised by the day context). */
export function feederDay(worldSeed: string, feederIndex: number, date: string, summer: number): FeederDay {
  const prng = forkPrng(worldSeed, `feeder/${feederIndex}/${date}`);
  const { startUtc, endUtc } = londonDay(date);
  const wanderV = new Float64Array(50);
  let x = prng.normal(0, 0.8);
  for (let i = 0; i < wanderV.length; i++) {
    x = 0.85 * x + prng.normal(0, 0.8 * Math.sqrt(1 - 0.85 * 0.85));
    wanderV[i] = x;
  }
  const events: VoltageEvent[] = [];
  const span = endUtc - startUtc;
  const at = (): number => startUtc + Math.floor(prng.next() * (span / 1000)) * 1000;
  const lognormal = (median: number, sd: number): number => median * Math.exp(prng.normal(0, sd));
  const winterWeight = 1.4 - 0.8 * summer; // storms: outages and sags cluster in winter
  if (prng.chance((SAGS_PER_YEAR / 365) * winterWeight)) {
    events.push({ kind: 'sag', startUtc: at(), durationSeconds: Math.round(Math.min(180, Math.max(10, lognormal(40, 0.7)))), extremeV: Math.round((175 + 37 * prng.next()) * 10) / 10 });
  }
  if (prng.chance(SWELLS_PER_YEAR / 365)) {
    events.push({ kind: 'swell', startUtc: at(), durationSeconds: Math.round(Math.min(120, Math.max(10, lognormal(30, 0.6)))), extremeV: Math.round((254 + 10 * prng.next()) * 10) / 10 });
  }
  if (prng.chance((OUTAGES_PER_YEAR / 365) * winterWeight)) {
    events.push({ kind: 'outage', startUtc: at(), durationSeconds: Math.round(Math.min(6 * 3600, Math.max(180, lognormal(2700, 0.9)))), extremeV: 0 });
  }
  events.sort((a, b) => a.startUtc - b.startUtc);
  return { wanderV, events };
}

/** Soft regulation towards the limits, then a hard clamp a hair inside them. */
function regulate(v: number): number {
  if (v > 249) v = 249 + (v - 249) * 0.4;
  else if (v < 221) v = 221 - (221 - v) * 0.4;
  return Math.min(252.8, Math.max(216.5, v));
}

/** Inputs of the steady-state voltage for one half hour. */
export interface VoltageInputs {
  profile: HomeProfile;
  wanderV: Float64Array;
  /** Feeder loading 0…1 per half hour. */
  feederLoad: Float64Array;
  /** Feeder PV output as a fraction of rated per half hour. */
  feederPv: Float64Array;
  /** Net import (negative = export) Wh per half hour. */
  netWh: Float64Array;
  /** Largest single load in each half hour, W. */
  peakW: Float64Array;
  /** Own PV Wh per half hour. */
  pvWh: Float64Array;
  /** Flicker draws, two per half hour, uniform 0…1. */
  flicker: Float64Array;
}

/**
 * Steady-state voltage per half hour (no events).
 * @returns mean, min and max per half hour, all within the statutory limits
 */
export function steadyVoltage(
  inputs: VoltageInputs,
  halfHours: number,
  out: { minV: Float32Array; maxV: Float32Array; meanV: Float32Array },
): void {
  const { sourceV, feederDropV, serviceVPerKw, feederPvRiseV } = inputs.profile.supply;
  const { wanderV, feederLoad, feederPv, netWh, peakW, pvWh, flicker } = inputs;
  const { meanV, minV, maxV } = out;
  for (let i = 0; i < halfHours; i++) {
    const netKw = (netWh[i] ?? 0) / 500;
    const mean = sourceV + (wanderV[i] ?? 0) - feederDropV * (feederLoad[i] ?? 0) - serviceVPerKw * netKw + feederPvRiseV * (feederPv[i] ?? 0);
    const meanKw = Math.max(0, netKw);
    const dip = serviceVPerKw * Math.max(0, (peakW[i] ?? 0) / 1000 - meanKw) + 0.3 + 1.2 * (flicker[2 * i] ?? 0);
    const rise = 0.3 + 1.0 * (flicker[2 * i + 1] ?? 0) + serviceVPerKw * 0.25 * ((pvWh[i] ?? 0) / 500);
    meanV[i] = regulate(mean);
    minV[i] = regulate(mean - dip);
    maxV[i] = regulate(mean + rise);
  }
}

/** Fraction of each half hour without supply because of outages (written to `out`). */
export function outageFraction(events: readonly VoltageEvent[], startUtc: number, halfHours: number, out: Float64Array): void {
  out.fill(0, 0, halfHours);
  for (const e of events) {
    if (e.kind !== 'outage') continue;
    forEachOverlap(e, startUtc, halfHours, (i, overlap) => {
      out[i] = Math.min(1, (out[i] ?? 0) + overlap);
    });
  }
}

function forEachOverlap(e: VoltageEvent, startUtc: number, halfHours: number, visit: (halfHour: number, overlap: number) => void): void {
  const from = (e.startUtc - startUtc) / 60_000;
  const to = from + e.durationSeconds / 60;
  if (to <= 0 || from >= halfHours * 30) return;
  for (let i = Math.max(0, Math.floor(from / 30)); i < halfHours && i * 30 < to; i++) {
    visit(i, (Math.min(to, i * 30 + 30) - Math.max(from, i * 30)) / 30);
  }
}

/**
 * Overlays events on the half-hourly voltage: a sag pulls the minimum down to its extreme, a swell
 * pushes the maximum up, an outage takes the minimum to 0 (and everything to 0 if it lasts the
 * whole half hour). Means move by the event's share of the half hour.
 */
export function applyEvents(
  events: readonly VoltageEvent[],
  startUtc: number,
  halfHours: number,
  voltage: { minV: Float32Array; maxV: Float32Array; meanV: Float32Array },
  outFraction: Float64Array,
): void {
  for (const e of events) {
    forEachOverlap(e, startUtc, halfHours, (i, overlap) => {
      const mean = voltage.meanV[i] ?? 0;
      if (e.kind === 'outage') {
        voltage.minV[i] = 0;
        if ((outFraction[i] ?? 0) >= 0.999) {
          voltage.meanV[i] = 0;
          voltage.maxV[i] = 0;
        }
      } else if (e.kind === 'sag') {
        voltage.minV[i] = Math.min(voltage.minV[i] ?? 0, e.extremeV);
        voltage.meanV[i] = mean + (e.extremeV - mean) * overlap;
      } else {
        voltage.maxV[i] = Math.max(voltage.maxV[i] ?? 0, e.extremeV);
        voltage.meanV[i] = mean + (e.extremeV - mean) * overlap;
      }
    });
  }
}

/** Overlays events on a per-minute voltage series (minute m = elapsed minute of the day). */
export function applyEventsToMinutes(events: readonly VoltageEvent[], startUtc: number, minutes: number, voltage: Float32Array): void {
  for (const e of events) {
    const from = (e.startUtc - startUtc) / 60_000;
    const to = from + e.durationSeconds / 60;
    for (let m = Math.max(0, Math.floor(from)); m < minutes && m < to; m++) {
      const overlap = Math.min(to, m + 1) - Math.max(from, m);
      const v = voltage[m] ?? 0;
      voltage[m] = v + (e.extremeV - v) * overlap;
    }
  }
}
