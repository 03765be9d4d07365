/**
 * Public shapes of the household simulation: a home's fixed profile, the options a day is
 * simulated under (load-control windows, injected incidents, resolution) and the simulated day
 * itself (half-hourly metrology, ground-truth occupancy, appliance activity, supply voltage).
 *
 * Minutes in a day are *elapsed* minutes since local midnight (0 … halfHours × 30), so minute m is
 * the instant `startUtc + m × 60 000`. On the 46- and 50-half-hour clock-change days this differs
 * from the wall-clock minute after 01:00; on every other day the two are the same.
 */

/** Household archetypes, each with its own occupancy pattern. */
export type Archetype = 'single-pensioner' | 'working-couple' | 'family' | 'home-worker' | 'night-shift';

/** Space-heating system. Gas homes still use a little electricity for the boiler pump and fan. */
export type Heating = 'gas' | 'storage-heater' | 'heat-pump';

/** Broad GB regions: set latitude (daylight, PV yield) and a temperature offset. */
export type Region = 'london-south' | 'midlands' | 'north' | 'scotland';

/** A home's electric vehicle and how its owner charges it. */
export interface ElectricVehicle {
  chargerKw: 7;
  batteryKwh: number;
  milesPerDay: number;
  /** Smart-charger default off-peak start, or plugged in on arriving home. */
  plugIn: 'overnight' | 'on-arrival';
  /** The car is charged every this many days (on the days where dayNumber % every === phase). */
  chargeEveryDays: 1 | 2 | 3;
  chargePhase: number;
}

/** Fixed facts about one simulated home; plain data (JSON-serialisable). */
export interface HomeProfile {
  worldSeed: string;
  index: number;
  homeId: string;
  archetype: Archetype;
  occupants: number;
  heating: Heating;
  /** Rooftop PV peak power; 0 = none. */
  pvKwp: number;
  ev: null | ElectricVehicle;
  feederId: string;
  feederIndex: number;
  region: Region;
  /** Latitude and longitude of the home's region (degrees; west negative). */
  latitude: number;
  longitude: number;
  /** Multiplier on discretionary appliance use (behaviour and appliance efficiency). */
  usageScale: number;
  /** Always-on load (routers, standby, alarms, …) in watts. */
  standbyW: number;
  /** Cold-appliance average draw in watts at 10 °C ambient (one fridge-freezer ≈ 38 W). */
  fridgeW: number;
  /** Lighting draw while lights are on, watts. */
  lightingW: number;
  cooking: 'electric' | 'gas';
  electricShower: boolean;
  tumbleDryer: boolean;
  dishwasher: boolean;
  /** A plug-in fan heater used on cold evenings (gas-heated homes topping up a room). */
  fanHeater: boolean;
  /** Building heat-loss coefficient, W per kelvin (sizes heat pump and storage heater use). */
  heatLossWPerK: number;
  /** Heat pump maximum electrical input, kW (0 without a heat pump). */
  heatPumpKw: number;
  /** Storage heater input rating, kW (0 without storage heaters). */
  storageHeaterKw: number;
  /** PV yield factor for roof orientation and shading (1 = due south, unshaded). */
  pvOrientation: number;
  /** Supply: feeder source voltage (after the transformer's tap), the home's place on the feeder. */
  supply: {
    sourceV: number;
    /** Volts lost along the feeder to this home when the feeder is at its peak load. */
    feederDropV: number;
    /** Volts lost in the service cable per kW the home draws (and gained per kW it exports). */
    serviceVPerKw: number;
    /** Volts of rise at this home when every PV system on the feeder is at full output. */
    feederPvRiseV: number;
  };
  /** Whole days away (holidays): day-of-year starts (1 = 1 January) and lengths. */
  holidays: readonly { startDayOfYear: number; days: number }[];
}

/** A load-control window on one controllable device. */
export interface ControlWindow {
  device: 'ev' | 'heat-pump';
  fromUtc: number;
  toUtc: number;
  /** Cap on the device's demand in kW; 0 = off. */
  limitKw: number;
}

/** An injected wellbeing incident (for the telecare applet to detect). */
export interface Incident {
  kind: 'no-activity-day' | 'disturbed-night';
  date: string;
}

/** How a day is simulated. */
export interface SimulateOptions {
  controls?: readonly ControlWindow[];
  incidents?: readonly Incident[];
  detail?: 'half-hour' | 'minute';
}

/** Ground-truth occupancy state of the household. */
export type OccupancyState = 'home' | 'away' | 'asleep';

/** `[fromMinute, toMinute)` in elapsed minutes of the local day. */
export interface OccupancyInterval {
  fromMinute: number;
  toMinute: number;
  state: OccupancyState;
}

/** Appliances whose use is occupant activity (what a telecare applet would see). */
export type Appliance =
  | 'kettle'
  | 'toaster'
  | 'microwave'
  | 'hob'
  | 'oven'
  | 'shower'
  | 'washing-machine'
  | 'tumble-dryer'
  | 'dishwasher'
  | 'television'
  | 'computer'
  | 'lighting'
  | 'vacuum'
  | 'hair-dryer'
  | 'fan-heater';

/**
 * One appliance running at constant `watts` from elapsed minute `minute` for `durationMinutes`.
 * Multi-phase appliances (washing machine heat then wash) appear as consecutive events.
 */
export interface ActivityEvent {
  minute: number;
  appliance: Appliance;
  watts: number;
  durationMinutes: number;
}

/** A ground-truth power-quality event at the home's supply terminals. */
export interface VoltageEvent {
  kind: 'sag' | 'swell' | 'outage';
  startUtc: number;
  durationSeconds: number;
  /** Lowest voltage in a sag or outage (0 for an outage), highest in a swell. */
  extremeV: number;
}

/**
 * One simulated local day of one home. Its typed arrays are views on a buffer shared with other
 * simulated days: read or copy them (`slice()`), but don't transfer or reinterpret their `.buffer`.
 */
export interface HomeDay {
  date: string;
  startUtc: number;
  halfHours: number;
  /** Per half hour, integer Wh, netted within each half hour after PV self-consumption. */
  importWh: Int32Array;
  exportWh: Int32Array;
  /** PV generation, EV charging and heat-pump demand (sub-metered ground truth), Wh per half hour. */
  pvWh: Int32Array;
  evWh: Int32Array;
  heatPumpWh: Int32Array;
  /** Consecutive intervals covering [0, halfHours × 30). */
  occupancy: OccupancyInterval[];
  /** Occupant-driven appliance use, sorted by minute. */
  activity: ActivityEvent[];
  /** Per half hour at the supply terminals (230 V nominal; statutory 216.2–253 V). */
  voltage: { minV: Float32Array; maxV: Float32Array; meanV: Float32Array };
  /** Events starting on this day. */
  voltageEvents: VoltageEvent[];
  /** The injected incidents that apply to this day. */
  incidents: Incident[];
  /**
   * Minute resolution, only with `detail: 'minute'`; length halfHours × 30. `importW` is the net
   * power at the meter (negative while exporting), so per half hour Σ importW / 60 ≈ importWh − exportWh.
   */
  minute?: { importW: Int32Array; voltage: Float32Array };
}
