/**
 * Everything one local day shares across all the homes of a world: the calendar facts, the
 * weather, sun times and PV shape per region, and each feeder's voltage wander and events.
 * Computed once per (world seed, date) and memoised, with a fast path for the common loop
 * "every home for this date".
 */
import { addDays, londonDay } from '../calendar';
import type { LocalDay } from '../calendar';
import { BoundedCache } from './cache';
import { REGION_COORDINATES } from './profile';
import { pvWhPerKwp } from './pv';
import { dayNumber, sunTimes } from './sun';
import type { SunTimes } from './sun';
import type { Region } from './types';
import { feederDay, feederLoading } from './voltage';
import type { FeederDay } from './voltage';
import { dailyWeather, summerness } from './weather';
import type { DailyWeather } from './weather';

/** Shared facts of one local day in one world. */
export class DayContext {
  readonly day: LocalDay;
  readonly previousDate: string;
  readonly dayNumber: number;
  readonly weather: DailyWeather;
  /** 0 mid-winter … 1 mid-summer. */
  readonly summer: number;
  private readonly suns = new Map<Region, SunTimes>();
  private readonly pv = new Map<Region, Float64Array>();
  private readonly feederPvs = new Map<Region, Float64Array>();
  private readonly feeders = new Map<number, FeederDay>();
  private loading: Float64Array | undefined;

  constructor(
    readonly worldSeed: string,
    readonly date: string,
  ) {
    this.day = londonDay(date);
    this.previousDate = addDays(date, -1);
    this.dayNumber = dayNumber(date);
    this.weather = dailyWeather(worldSeed, date);
    this.summer = summerness(this.weather.dayOfYear);
  }

  /** Sunrise and sunset at the region's representative point. */
  sun(region: Region): SunTimes {
    let s = this.suns.get(region);
    if (!s) {
      s = sunTimes(this.date, REGION_COORDINATES[region].latitude, REGION_COORDINATES[region].longitude);
      this.suns.set(region, s);
    }
    return s;
  }

  /** PV output per due-south kWp per half hour in the region. */
  pvPerKwp(region: Region): Float64Array {
    let s = this.pv.get(region);
    if (!s) {
      s = pvWhPerKwp(this.worldSeed, this.date, region);
      this.pv.set(region, s);
    }
    return s;
  }

  /** Feeder PV output as a fraction of rated per half hour in the region (PV per kWp ÷ 500 Wh). */
  feederPv(region: Region): Float64Array {
    let s = this.feederPvs.get(region);
    if (!s) {
      const pv = this.pvPerKwp(region);
      s = new Float64Array(pv.length);
      for (let i = 0; i < pv.length; i++) s[i] = (pv[i] ?? 0) / 500;
      this.feederPvs.set(region, s);
    }
    return s;
  }

  /** Feeder loading 0…1 per half hour (the same on every feeder of the day). */
  feederLoad(): Float64Array {
    this.loading ??= feederLoading(this.day.halfHours, this.summer);
    return this.loading;
  }

  /** The feeder's wander and events for this day. */
  feeder(feederIndex: number): FeederDay {
    let f = this.feeders.get(feederIndex);
    if (!f) {
      f = feederDay(this.worldSeed, feederIndex, this.date, this.summer);
      this.feeders.set(feederIndex, f);
    }
    return f;
  }
}

const contexts = new BoundedCache<DayContext>(400);
let recent: DayContext | undefined;
let previous: DayContext | undefined;

/** The shared context of `date` in world `worldSeed` (memoised; the last two are a fast path). */
export function dayContext(worldSeed: string, date: string): DayContext {
  if (recent && recent.date === date && recent.worldSeed === worldSeed) return recent;
  let found: DayContext;
  if (previous && previous.date === date && previous.worldSeed === worldSeed) found = previous;
  else found = contexts.get(`${worldSeed}\u0000${date}`, () => new DayContext(worldSeed, date));
  previous = recent;
  recent = found;
  return found;
}
