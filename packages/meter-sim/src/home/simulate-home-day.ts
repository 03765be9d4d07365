/**
 * One home, one local day: occupancy ground truth → appliance activity → half-hourly energy
 * (with heating, EV, PV and outages) → supply voltage. Pure and deterministic: the output depends
 * only on (profile, date, options). Randomness comes from `forkPrng(worldSeed, 'home/<index>/<date>')`
 * (plus per-date EV, weather and feeder streams), so days can be simulated in any order. Everything
 * is interval arithmetic into half-hour bins; per-minute arrays exist only with `detail: 'minute'`.
 */
import { forkPrng } from '../prng';
import type { Prng } from '../prng';
import { accumulateBaseLoad, accumulateEvents, generateActivity, nightWakeActivity, sortByMinute } from './appliances';
import type { ApplianceDay } from './appliances';
import { assertControlWindow, deviceWindows } from './controls';
import { dayContext } from './day-context';
import { accumulateEvCharging } from './ev-charging';
import { accumulateHeatPump, accumulateStorageHeater } from './heating';
import { LoadAccumulator } from './load-accumulator';
import { isOnHoliday } from './profile';
import { applyDisturbedNight, applyNoActivityDay, planOccupancy, wallToElapsed } from './occupancy';
import type { ControlWindow, HomeDay, HomeProfile, Incident, Region, SimulateOptions, VoltageEvent } from './types';
import { applyEvents, applyEventsToMinutes, outageFraction, steadyVoltage } from './voltage';
import type { VoltageInputs } from './voltage';

/** Regional temperature offsets from the Central England series, °C (modelled). */
const REGION_TEMP_OFFSET_C: Readonly<Record<Region, number>> = {
  'london-south': 0.5,
  midlands: -0.2,
  north: -0.6,
  scotland: -1.5,
};

// Scratch buffers reused across calls (the simulation never awaits, so calls cannot interleave).
const total = new LoadAccumulator();
const evAcc = new LoadAccumulator();
const hpAcc = new LoadAccumulator();
const scratch = {
  tempC: new Float64Array(50),
  pv: new Float64Array(50),
  net: new Float64Array(50),
  flicker: new Float64Array(100),
  out: new Float64Array(50),
};
const EMPTY = new Float64Array(0);
/** The steady-state voltage's inputs, refilled for each home-day. */
const voltageInputs: VoltageInputs = {
  profile: undefined as unknown as HomeProfile,
  wanderV: EMPTY,
  feederLoad: EMPTY,
  feederPv: EMPTY,
  netWh: scratch.net,
  peakW: total.peakW,
  pvWh: scratch.pv,
  flicker: scratch.flicker,
};

function assertInputs(profile: HomeProfile, options: SimulateOptions): void {
  if (typeof profile !== 'object' || profile === null) throw new TypeError('profile: expected a HomeProfile object');
  if (typeof profile.worldSeed !== 'string' || !Number.isInteger(profile.index) || !Array.isArray(profile.holidays)) {
    throw new TypeError('profile: expected a HomeProfile (worldSeed, index, holidays, …) — build it with createHomeProfile');
  }
  if (options.detail !== undefined && options.detail !== 'half-hour' && options.detail !== 'minute') {
    throw new TypeError(`detail: expected 'half-hour' or 'minute', got ${JSON.stringify(options.detail)}`);
  }
  for (const c of options.controls ?? NO_CONTROLS) assertControlWindow(c);
  for (const i of options.incidents ?? NO_INCIDENTS) {
    if (i.kind !== 'no-activity-day' && i.kind !== 'disturbed-night') throw new TypeError(`incident: unknown kind ${JSON.stringify(i.kind)}`);
    if (typeof i.date !== 'string') throw new TypeError('incident: expected date YYYY-MM-DD');
  }
}

/**
 * Simulates one home for one Europe/London local day.
 * @param profile - from {@link createHomeProfile}
 * @param date - local date `YYYY-MM-DD`
 * @param options - load-control windows (pass every window that could touch this day *or the
 *   previous evening*: an EV session plugged in yesterday finishes today), injected incidents, and
 *   `detail: 'minute'` for per-minute import power and voltage
 * @returns half-hourly metrology with ground truth; identical for identical arguments
 * @throws TypeError / RangeError on a malformed date, profile or control window
 */
export function simulateHomeDay(profile: HomeProfile, date: string, options: SimulateOptions = {}): HomeDay {
  assertInputs(profile, options);
  const ctx = dayContext(profile.worldSeed, date);
  const day = ctx.day;
  const { startUtc, halfHours } = day;
  const minutes = halfHours * 30;
  const withMinutes = options.detail === 'minute';
  const prng = forkPrng(profile.worldSeed, `home/${profile.index}/${date}`);

  const weather = ctx.weather;
  const doy = weather.dayOfYear;
  const summer = ctx.summer;
  const tempOffset = REGION_TEMP_OFFSET_C[profile.region];
  const meanTempC = weather.meanTempC + tempOffset;
  const sun = ctx.sun(profile.region);

  // Occupancy ground truth, then incidents on their own stream so the rest of the day is unchanged.
  const onHoliday = isOnHoliday(profile, doy);
  const planned = planOccupancy(profile, prng, day.weekday, halfHours, onHoliday);
  let occupancy = planned;
  const incidents: Incident[] = [];
  let noActivity = false;
  let disturbedNight = false;
  for (const i of options.incidents ?? NO_INCIDENTS) {
    if (i.date !== date) continue;
    incidents.push({ kind: i.kind, date: i.date });
    if (i.kind === 'no-activity-day') noActivity = true;
    else disturbedNight = true;
  }
  let nightWake: { fromMinute: number; toMinute: number; prng: Prng } | null = null;
  if (noActivity) {
    occupancy = applyNoActivityDay(occupancy, minutes);
  } else if (disturbedNight) {
    const incidentPrng = forkPrng(profile.worldSeed, `home/${profile.index}/${date}/incident`);
    const disturbed = applyDisturbedNight(occupancy, incidentPrng);
    if (disturbed) {
      occupancy = disturbed.intervals;
      nightWake = { ...disturbed.awake, prng: incidentPrng };
    }
  }

  const applianceDay: ApplianceDay = {
    profile,
    prng,
    occupancy,
    minutes,
    weekday: day.weekday,
    summer,
    meanTempC,
    cloudiness: weather.cloudiness,
    sunriseMinute: (sun.sunriseUtc - startUtc) / 60_000,
    sunsetMinute: (sun.sunsetUtc - startUtc) / 60_000,
    halfHours,
  };
  // The day's own activity is planned from the undisturbed schedule, so a night wake adds to it
  // without reshuffling the rest of the day.
  let activity = noActivity ? [] : generateActivity(nightWake ? { ...applianceDay, occupancy: planned } : applianceDay);
  if (nightWake) {
    const extra = nightWakeActivity(profile, nightWake.prng, nightWake.fromMinute, nightWake.toMinute);
    activity = sortByMinute([...activity, ...extra]);
  }

  total.reset(halfHours, withMinutes);
  evAcc.reset(halfHours, false);
  hpAcc.reset(halfHours, false);
  accumulateEvents(activity, total);
  accumulateBaseLoad(applianceDay, total);

  if (profile.heating === 'heat-pump') {
    const tempC = scratch.tempC;
    for (let i = 0; i < halfHours; i++) tempC[i] = (weather.halfHourTempC[i] ?? 10) + tempOffset;
    let wake = wallToElapsed(420, halfHours);
    for (const iv of occupancy) {
      if (iv.state === 'home') {
        wake = iv.fromMinute;
        break;
      }
    }
    accumulateHeatPump(profile, tempC, occupancy, halfHours, wake, deviceWindows(options.controls, 'heat-pump', startUtc), total, hpAcc);
  } else if (profile.heating === 'storage-heater') {
    accumulateStorageHeater(profile, meanTempC, halfHours, Math.max(15, prng.normal(35, 10)), total);
  }
  if (profile.ev) {
    accumulateEvCharging(profile, ctx, deviceWindows(options.controls, 'ev', startUtc), total, evAcc);
  }

  // Outages: no consumption and no PV (inverters disconnect) while the supply is off.
  const feeder = ctx.feeder(profile.feederIndex);
  const eventsToday = feeder.events;
  const eventsYesterday = dayContext(profile.worldSeed, ctx.previousDate).feeder(profile.feederIndex).events;
  const events = eventsYesterday.length === 0 ? eventsToday : [...eventsYesterday, ...eventsToday];
  const out = scratch.out;
  outageFraction(events, startUtc, halfHours, out);

  const regionPv = ctx.pvPerKwp(profile.region);
  const pvScale = profile.pvKwp * profile.pvOrientation;
  // Every typed array of the day is a view on one slab (see carve).
  const minutes4 = withMinutes ? 4 * minutes : 0;
  const base = carve(8 * 4 * halfHours + 2 * minutes4);
  const buffer = slab;
  const importWh = new Int32Array(buffer, base, halfHours);
  const exportWh = new Int32Array(buffer, base + 4 * halfHours, halfHours);
  const pvWh = new Int32Array(buffer, base + 8 * halfHours, halfHours);
  const evWh = new Int32Array(buffer, base + 12 * halfHours, halfHours);
  const heatPumpWh = new Int32Array(buffer, base + 16 * halfHours, halfHours);
  const pv = scratch.pv;
  const net = scratch.net;
  for (let i = 0; i < halfHours; i++) {
    const on = 1 - (out[i] ?? 0);
    const p = (regionPv[i] ?? 0) * pvScale * on;
    const c = (total.wh[i] ?? 0) * on;
    pv[i] = p;
    net[i] = c - p;
    pvWh[i] = Math.round(p);
    importWh[i] = Math.round(Math.max(0, c - p));
    exportWh[i] = Math.round(Math.max(0, p - c));
  }
  // Sub-meters of devices the home lacks read zero, as the freshly carved arrays already do.
  if (profile.ev) for (let i = 0; i < halfHours; i++) evWh[i] = Math.round((evAcc.wh[i] ?? 0) * (1 - (out[i] ?? 0)));
  if (profile.heating === 'heat-pump') for (let i = 0; i < halfHours; i++) heatPumpWh[i] = Math.round((hpAcc.wh[i] ?? 0) * (1 - (out[i] ?? 0)));

  // Voltage: feeder loading follows the domestic profile (lighter in summer); PV lifts it at noon.
  for (let k = 0; k < 2 * halfHours; k++) scratch.flicker[k] = prng.next();
  const voltage = {
    minV: new Float32Array(buffer, base + 20 * halfHours, halfHours),
    maxV: new Float32Array(buffer, base + 24 * halfHours, halfHours),
    meanV: new Float32Array(buffer, base + 28 * halfHours, halfHours),
  };
  voltageInputs.profile = profile;
  voltageInputs.wanderV = feeder.wanderV;
  voltageInputs.feederLoad = ctx.feederLoad();
  voltageInputs.feederPv = ctx.feederPv(profile.region);
  steadyVoltage(voltageInputs, halfHours, voltage);

  let minute: HomeDay['minute'];
  if (withMinutes) {
    const importW = new Int32Array(buffer, base + 32 * halfHours, minutes);
    const minuteV = new Float32Array(buffer, base + 32 * halfHours + minutes4, minutes);
    minuteDetail(profile, prng, halfHours, startUtc, regionPv, pvScale, voltage, events, importW, minuteV);
    minute = { importW, voltage: minuteV };
  }
  applyEvents(events, startUtc, halfHours, voltage, out);

  const result: HomeDay = {
    date,
    startUtc,
    halfHours,
    importWh,
    exportWh,
    pvWh,
    evWh,
    heatPumpWh,
    occupancy,
    activity,
    voltage,
    voltageEvents: eventsToday.length === 0 ? [] : eventsToday.map(copyEvent),
    incidents,
  };
  if (minute) result.minute = minute;
  return result;
}

/**
 * The days' typed arrays are views carved one after another from 16 KiB slabs: an ArrayBuffer per
 * day (off-heap memory the collector has to sweep) cost about a quarter of a half-hour day's
 * simulation. A half-hour day takes 1.5 KiB, so a retained day keeps up to ten days' worth alive.
 */
const SLAB_BYTES = 16_384;
let slab = new ArrayBuffer(SLAB_BYTES);
let slabUsed = 0;

/** Reserves `bytes` zeroed bytes (a multiple of 4) of `slab`, starting a new slab when it is full. @returns their offset */
function carve(bytes: number): number {
  if (slabUsed + bytes > slab.byteLength) {
    slab = new ArrayBuffer(Math.max(SLAB_BYTES, bytes));
    slabUsed = 0;
  }
  const offset = slabUsed;
  slabUsed += bytes;
  return offset;
}

const NO_INCIDENTS: readonly Incident[] = [];
const NO_CONTROLS: readonly ControlWindow[] = [];

/** Minute-to-minute voltage flicker (N(0, 0.25 V)), read from a fixed table at a random offset per home-day. */
const FLICKER_TABLE_SIZE = 4096;
let flicker: Float32Array | undefined;
function flickerTable(): Float32Array {
  if (!flicker) {
    const prng = forkPrng('hydra/meter-sim', 'home/voltage-flicker-table');
    flicker = new Float32Array(FLICKER_TABLE_SIZE);
    for (let i = 0; i < FLICKER_TABLE_SIZE; i++) flicker[i] = prng.normal(0, 0.25);
  }
  return flicker;
}
const copyEvent = (e: VoltageEvent): VoltageEvent => ({ ...e });

/**
 * Per-minute net import and voltage, consistent with the half-hour figures: minutes sum to the
 * half hour's net energy, and voltage stays inside the half hour's steady-state min–max before
 * events are overlaid. Written into `importW` and `minuteV` (halfHours × 30 each, zero-filled).
 */
function minuteDetail(
  profile: HomeProfile,
  prng: Prng,
  halfHours: number,
  startUtc: number,
  regionPv: Float64Array,
  pvScale: number,
  voltage: { minV: Float32Array; maxV: Float32Array; meanV: Float32Array },
  events: HomeDay['voltageEvents'],
  importW: Int32Array,
  minuteV: Float32Array,
): void {
  const minutes = halfHours * 30;
  let onFraction: Float64Array | undefined;
  for (const e of events) {
    if (e.kind !== 'outage') continue;
    onFraction ??= new Float64Array(minutes).fill(1);
    const from = (e.startUtc - startUtc) / 60_000;
    const to = from + e.durationSeconds / 60;
    for (let m = Math.max(0, Math.floor(from)); m < minutes && m < to; m++) {
      onFraction[m] = Math.max(0, (onFraction[m] ?? 1) - (Math.min(to, m + 1) - Math.max(from, m)));
    }
  }
  const perKw = profile.supply.serviceVPerKw;
  const noise = flickerTable();
  let n = Math.floor(prng.next() * FLICKER_TABLE_SIZE);
  for (let i = 0; i < halfHours; i++) {
    const pvW = (regionPv[i] ?? 0) * pvScale * 2;
    const hhNetKw = ((total.wh[i] ?? 0) * 2 - pvW) / 1000;
    const mean = voltage.meanV[i] ?? 230;
    const lo = voltage.minV[i] ?? 216.5;
    const hi = voltage.maxV[i] ?? 252.8;
    for (let m = i * 30; m < i * 30 + 30; m++) {
      const netW = (total.minuteW[m] ?? 0) - pvW;
      importW[m] = Math.round(onFraction ? netW * (onFraction[m] ?? 1) : netW);
      n = (n + 1) & (FLICKER_TABLE_SIZE - 1);
      const v = mean - perKw * (netW / 1000 - hhNetKw) + (noise[n] ?? 0);
      minuteV[m] = v < lo ? lo : v > hi ? hi : v;
    }
  }
  applyEventsToMinutes(events, startUtc, minutes, minuteV);
}
