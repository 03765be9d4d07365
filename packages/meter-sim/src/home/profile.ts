/**
 * Deterministic home profiles: who lives in home `index` of a world, what it has fitted, which
 * feeder it hangs off and where on it. Every figure comes from `forkPrng(worldSeed, …)`; the
 * proportions follow the GB figures in /work/shared/data/uk-reference.json where published
 * and are stated as modelling assumptions in README.md where not.
 */
import { forkPrng } from '../prng';
import type { Prng } from '../prng';
import { BoundedCache } from './cache';
import type { Archetype, ElectricVehicle, Heating, HomeProfile, Region } from './types';

/** Options for {@link createHomeProfile}. */
export interface CreateHomeProfileOptions {
  /** Put exactly this many consecutive homes on each feeder (default: 8–30, drawn per feeder). */
  feederSize?: number;
}

const ARCHETYPES: readonly (readonly [Archetype, number])[] = [
  ['single-pensioner', 0.2],
  ['working-couple', 0.27],
  ['family', 0.3],
  ['home-worker', 0.15],
  ['night-shift', 0.08],
];

const REGIONS: readonly (readonly [Region, number])[] = [
  ['london-south', 0.42],
  ['midlands', 0.22],
  ['north', 0.28],
  ['scotland', 0.08],
];

/** Representative latitude/longitude per region (London, Birmingham, Manchester, Edinburgh). */
export const REGION_COORDINATES: Readonly<Record<Region, { latitude: number; longitude: number }>> = {
  'london-south': { latitude: 51.5, longitude: -0.8 },
  midlands: { latitude: 52.5, longitude: -1.9 },
  north: { latitude: 53.5, longitude: -2.2 },
  scotland: { latitude: 55.9, longitude: -3.2 },
};

/** Share of homes with an EV by archetype (≈18% overall). */
const EV_SHARE: Readonly<Record<Archetype, number>> = {
  'single-pensioner': 0.06,
  'working-couple': 0.24,
  family: 0.22,
  'home-worker': 0.18,
  'night-shift': 0.15,
};

const EV_BATTERIES_KWH = [40, 50, 54, 58, 64, 77];
/** Miles per kWh (uk-reference.json, ev.efficiency_miles_per_kwh). */
export const EV_MILES_PER_KWH = 2.42;

function weighted<T>(prng: Prng, table: readonly (readonly [T, number])[]): T {
  let u = prng.next() * table.reduce((sum, [, w]) => sum + w, 0);
  for (const [value, weight] of table) {
    u -= weight;
    if (u < 0) return value;
  }
  const last = table[table.length - 1];
  if (!last) throw new RangeError('weighted: expected a non-empty table');
  return last[0];
}

const clamp = (x: number, lo: number, hi: number): number => Math.min(hi, Math.max(lo, x));
const round1 = (x: number): number => Math.round(x * 10) / 10;

interface FeederFacts {
  region: Region;
  sourceV: number;
  peakDropV: number;
  pvRiseV: number;
}

const feederFacts = new BoundedCache<FeederFacts>(4096);
const feederBoundaries = new BoundedCache<{ ends: number[]; next: () => number }>(64);

/** Index of the feeder home `index` hangs off: feeders of 8–30 consecutive homes. */
function feederOf(worldSeed: string, index: number, feederSize: number | undefined): number {
  if (feederSize !== undefined) return Math.floor(index / feederSize);
  const state = feederBoundaries.get(worldSeed, () => {
    const prng = forkPrng(worldSeed, 'feeders');
    return { ends: [], next: () => prng.int(8, 30) };
  });
  while ((state.ends[state.ends.length - 1] ?? 0) <= index) {
    state.ends.push((state.ends[state.ends.length - 1] ?? 0) + state.next());
  }
  // Binary search for the first feeder whose end lies beyond `index`.
  let lo = 0;
  let hi = state.ends.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((state.ends[mid] ?? 0) > index) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

function feeder(worldSeed: string, feederIndex: number): FeederFacts {
  return feederFacts.get(`${worldSeed}\u0000${feederIndex}`, () => {
    const prng = forkPrng(worldSeed, `feeder/${feederIndex}`);
    return {
      region: weighted(prng, REGIONS),
      // DNOs run LV busbars high (≈240–242 V) so the far end stays above 216.2 V at peak.
      sourceV: clamp(prng.normal(241, 1.5), 237.5, 244.5),
      peakDropV: 4 + prng.next() * 8,
      pvRiseV: 2 + prng.next() * 4,
    };
  });
}

/**
 * Creates the profile of home `index` in world `worldSeed`.
 * @param worldSeed - the world's seed (any non-empty string)
 * @param index - home number, a non-negative integer
 * @param options - `feederSize` to fix the number of homes per feeder
 * @returns the same profile for the same arguments, on every machine
 * @throws TypeError on a non-string seed or non-integer index; RangeError on a negative index or feeder size < 1
 */
export function createHomeProfile(worldSeed: string, index: number, options: CreateHomeProfileOptions = {}): HomeProfile {
  if (typeof worldSeed !== 'string' || worldSeed.length === 0) {
    throw new TypeError(`worldSeed: expected a non-empty string, got ${JSON.stringify(worldSeed)}`);
  }
  if (!Number.isInteger(index)) throw new TypeError(`index: expected an integer, got ${String(index)}`);
  if (index < 0) throw new RangeError(`index: expected ≥ 0, got ${index}`);
  const { feederSize } = options;
  if (feederSize !== undefined && (!Number.isInteger(feederSize) || feederSize < 1)) {
    throw new RangeError(`feederSize: expected an integer ≥ 1, got ${String(feederSize)}`);
  }

  const feederIndex = feederOf(worldSeed, index, feederSize);
  const feed = feeder(worldSeed, feederIndex);
  const prng = forkPrng(worldSeed, `home/${index}/profile`);

  const archetype = weighted(prng, ARCHETYPES);
  const occupants =
    archetype === 'single-pensioner'
      ? 1
      : archetype === 'working-couple'
        ? 2
        : archetype === 'family'
          ? weighted(prng, [[3, 0.4], [4, 0.4], [5, 0.2]] as const)
          : weighted(prng, [[1, 0.3], [2, 0.5], [3, 0.2]] as const);

  const heating: Heating = weighted(prng, [['gas', 0.84], ['storage-heater', 0.06], ['heat-pump', 0.1]] as const);
  const pvKwp = prng.chance(archetype === 'single-pensioner' ? 0.22 : 0.32) ? round1(0.4 * prng.int(7, 11)) : 0;

  let ev: ElectricVehicle | null = null;
  if (prng.chance(EV_SHARE[archetype])) {
    const batteryKwh = prng.pick(EV_BATTERIES_KWH);
    const milesPerDay = Math.round(clamp(prng.normal(archetype === 'single-pensioner' ? 14 : 24, 7), 8, 45));
    const dailyKwh = milesPerDay / EV_MILES_PER_KWH;
    const chargeEveryDays: 1 | 2 | 3 =
      dailyKwh * 3 < 0.7 * batteryKwh
        ? weighted(prng, [[1, 0.3], [2, 0.4], [3, 0.3]] as const)
        : weighted(prng, [[1, 0.5], [2, 0.5]] as const);
    ev = {
      chargerKw: 7,
      batteryKwh,
      milesPerDay,
      plugIn: archetype === 'night-shift' || prng.chance(0.35) ? 'on-arrival' : 'overnight',
      chargeEveryDays,
      chargePhase: prng.int(0, chargeEveryDays - 1),
    };
  }

  const heatLossWPerK = Math.round(clamp(prng.normal(180, 40), 100, 300) * (heating === 'heat-pump' ? 0.85 : heating === 'storage-heater' ? 0.55 : 1));
  const holidays: { startDayOfYear: number; days: number }[] = [];
  const trips = weighted(prng, [[0, 0.15], [1, 0.35], [2, 0.35], [3, 0.15]] as const);
  for (let t = 0; t < trips; t++) holidays.push({ startDayOfYear: prng.int(1, 355), days: prng.int(3, 14) });

  const position = 0.1 + 0.9 * prng.next();
  return {
    worldSeed,
    index,
    homeId: `home-${String(index).padStart(5, '0')}`,
    archetype,
    occupants,
    heating,
    pvKwp,
    ev,
    feederId: `feeder-${String(feederIndex).padStart(4, '0')}`,
    feederIndex,
    region: feed.region,
    latitude: REGION_COORDINATES[feed.region].latitude,
    longitude: REGION_COORDINATES[feed.region].longitude,
    usageScale: Math.exp(prng.normal(0, 0.28)),
    standbyW: Math.round(clamp(Math.exp(prng.normal(Math.log(archetype === 'single-pensioner' ? 40 : 52), 0.4)), 15, 250)),
    fridgeW: Math.round(38 * (0.8 + 0.6 * prng.next()) + (prng.chance(0.2) ? 25 : 0)),
    lightingW: Math.round((40 + 28 * occupants) * Math.exp(prng.normal(0, 0.3))),
    cooking: prng.chance(0.65) ? 'electric' : 'gas',
    electricShower: prng.chance(0.2),
    tumbleDryer: prng.chance(0.55),
    dishwasher: prng.chance(archetype === 'family' ? 0.65 : 0.4),
    fanHeater: heating === 'gas' && prng.chance(0.2),
    heatLossWPerK,
    heatPumpKw: heating === 'heat-pump' ? round1(clamp((heatLossWPerK * 24) / 2.2 / 1000 * 1.3, 1.5, 4)) : 0,
    storageHeaterKw: heating === 'storage-heater' ? round1(clamp((heatLossWPerK * 20 * 24) / 7 / 1000, 4, 12)) : 0,
    pvOrientation: pvKwp > 0 ? Math.round((0.85 + 0.15 * prng.next()) * 1000) / 1000 : 1,
    supply: {
      sourceV: Math.round(feed.sourceV * 10) / 10,
      feederDropV: Math.round(feed.peakDropV * position * 100) / 100,
      serviceVPerKw: Math.round((0.3 + 0.6 * prng.next()) * 100) / 100,
      feederPvRiseV: Math.round(feed.pvRiseV * position * 100) / 100,
    },
    holidays,
  };
}

/** Whether the household is away on holiday on day-of-year `doy`. */
export function isOnHoliday(profile: HomeProfile, doy: number): boolean {
  for (const h of profile.holidays) if (doy >= h.startDayOfYear && doy < h.startDayOfYear + h.days) return true;
  return false;
}
