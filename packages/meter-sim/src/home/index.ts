/**
 * The household simulation: deterministic home profiles and simulated local days (half-hourly
 * metrology, occupancy ground truth, appliance activity, supply voltage), plus the shared world
 * weather and the per-minute occupancy helper.
 */
export { createHomeProfile } from './profile';
export type { CreateHomeProfileOptions } from './profile';
export { simulateHomeDay } from './simulate-home-day';
export { expandOccupancy, occupancyAt, OCCUPANCY_CODE } from './occupancy';
export { dailyWeather } from './weather';
export type { DailyWeather } from './weather';
export { sunTimes } from './sun';
export type { SunTimes } from './sun';
export { LOWER_LIMIT_V, NOMINAL_V, UPPER_LIMIT_V } from './voltage';
export type {
  ActivityEvent,
  Appliance,
  Archetype,
  ControlWindow,
  ElectricVehicle,
  Heating,
  HomeDay,
  HomeProfile,
  Incident,
  OccupancyInterval,
  OccupancyState,
  Region,
  SimulateOptions,
  VoltageEvent,
} from './types';
