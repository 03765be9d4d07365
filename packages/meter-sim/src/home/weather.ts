/**
 * A world's weather: one deterministic daily series of temperature and cloudiness per world seed,
 * shared by every home in the world (regions add a fixed temperature offset). Daily anomalies are
 * AR(1) processes truncated at 14 days, built from per-date innovations `weather/${date}`, so any
 * date can be computed on its own — no need to simulate the days before it — and still follows
 * on smoothly from its neighbours. Climatology: Met Office Central England Temperature monthly
 * means 1991–2020 (modelled cloud fraction, see README).
 */
import { addDays, londonDay } from '../calendar';
import { forkPrng } from '../prng';
import { BoundedCache } from './cache';
import { dayOfYear } from './sun';

/** Central England mean temperature by month, °C (HadCET 1991–2020, rounded). */
const MONTHLY_MEAN_TEMP_C = [4.8, 5.0, 6.9, 9.0, 12.2, 15.0, 17.1, 16.8, 14.4, 11.0, 7.6, 5.2];
/** Modelled mean cloud fraction by month (GB is overcast more in winter). */
const MONTHLY_MEAN_CLOUD = [0.76, 0.73, 0.7, 0.65, 0.63, 0.63, 0.64, 0.65, 0.67, 0.71, 0.75, 0.77];
const MID_MONTH_DOY = [15, 46, 74, 105, 135, 166, 196, 227, 258, 288, 319, 349];

const MEMORY_DAYS = 14;
const TEMP_PHI = 0.75;
const CLOUD_PHI = 0.45;
/** Intra-day cloud noise (logit units) and its half-hour autocorrelation. */
export const INTRADAY_CLOUD_SD = 0.8;
const INTRADAY_PHI = 0.8;
/** Standard deviation of the daily cloud anomaly, logit units. */
export const DAILY_CLOUD_SD = 1.1;

/** The weather of one local day. */
export interface DailyWeather {
  date: string;
  dayOfYear: number;
  /** Daily mean air temperature, °C (before any regional offset). */
  meanTempC: number;
  /** Daily mean cloud fraction 0…1. */
  cloudiness: number;
  /** Temperature at the middle of each half hour of the local day, °C. */
  halfHourTempC: Float64Array;
  /** Cloud fraction in each half hour of the local day. */
  halfHourCloud: Float64Array;
}

interface Innovation {
  temp: number;
  cloud: number;
  intraday: Float64Array;
}

const innovations = new BoundedCache<Innovation>(8192);
const days = new BoundedCache<DailyWeather>(4096);

/** Interpolates a by-month table at day-of-year `doy` (anchors at mid-month, wrapping the year). */
export function monthlyClimatology(table: readonly number[], doy: number): number {
  const wrap = (i: number): number => ((i % 12) + 12) % 12;
  const anchor = (i: number): number => (MID_MONTH_DOY[wrap(i)] ?? 0) + 365 * Math.floor(i / 12);
  let i = -1;
  while (i < 11 && anchor(i + 1) <= doy) i++;
  const a = table[wrap(i)] ?? 0;
  const b = table[wrap(i + 1)] ?? 0;
  return a + ((b - a) * (doy - anchor(i))) / (anchor(i + 1) - anchor(i));
}

/** Climatological mean temperature on day-of-year `doy`, °C. */
export function climateMeanTempC(doy: number): number {
  return monthlyClimatology(MONTHLY_MEAN_TEMP_C, doy);
}

/** Climatological mean cloud fraction on day-of-year `doy`. */
export function climateMeanCloud(doy: number): number {
  return monthlyClimatology(MONTHLY_MEAN_CLOUD, doy);
}

/** 0 in mid-winter, 1 in mid-summer. */
export function summerness(doy: number): number {
  return (1 - Math.cos((2 * Math.PI * (doy - 15)) / 365)) / 2;
}

function innovation(worldSeed: string, date: string): Innovation {
  return innovations.get(`${worldSeed}\u0000${date}`, () => {
    const prng = forkPrng(worldSeed, `weather/${date}`);
    const temp = prng.normal();
    const cloud = prng.normal();
    const intraday = new Float64Array(50);
    for (let i = 0; i < intraday.length; i++) intraday[i] = prng.normal();
    return { temp, cloud, intraday };
  });
}

const logit = (p: number): number => Math.log(p / (1 - p));
const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x));

/**
 * The weather on local `date` in the world `worldSeed` (memoised; pure).
 * @returns daily mean temperature and cloudiness plus half-hourly series for the local day
 */
export function dailyWeather(worldSeed: string, date: string): DailyWeather {
  return days.get(`${worldSeed}\u0000${date}`, () => {
    const doy = dayOfYear(date);
    let tempAnomaly = 0;
    let cloudAnomaly = 0;
    let prevIntraday = 0;
    for (let k = 0; k < MEMORY_DAYS; k++) {
      const inn = innovation(worldSeed, k === 0 ? date : addDays(date, -k));
      tempAnomaly += Math.pow(TEMP_PHI, k) * inn.temp;
      cloudAnomaly += Math.pow(CLOUD_PHI, k) * inn.cloud;
      if (k === 1) prevIntraday = inn.intraday[47] ?? 0;
    }
    const summer = summerness(doy);
    // Day-to-day spread: ≈3 °C in winter, ≈2 °C in summer (stationary AR(1) variance scaling).
    const tempSd = 3 - summer;
    tempAnomaly *= tempSd * Math.sqrt(1 - TEMP_PHI * TEMP_PHI);
    cloudAnomaly *= DAILY_CLOUD_SD * Math.sqrt(1 - CLOUD_PHI * CLOUD_PHI);
    const climateCloud = climateMeanCloud(doy);
    const dayLogit = logit(climateCloud) + cloudAnomaly;
    const cloudiness = sigmoid(dayLogit);
    // Clear days are warmer in summer and colder in winter.
    const meanTempC = climateMeanTempC(doy) + tempAnomaly + (climateCloud - cloudiness) * (5 * summer - 3 * (1 - summer));
    const { startUtc, halfHours } = londonDay(date);
    const halfHourTempC = new Float64Array(halfHours);
    const halfHourCloud = new Float64Array(halfHours);
    const amplitude = 1.5 + 4 * (1 - cloudiness) * (0.4 + 0.6 * summer);
    const intraday = innovation(worldSeed, date).intraday;
    let x = prevIntraday;
    for (let i = 0; i < halfHours; i++) {
      const utcHour = (((startUtc + (i + 0.5) * 1_800_000) / 3_600_000) % 24 + 24) % 24;
      halfHourTempC[i] = meanTempC + amplitude * Math.cos((2 * Math.PI * (utcHour - 15)) / 24);
      x = INTRADAY_PHI * x + Math.sqrt(1 - INTRADAY_PHI * INTRADAY_PHI) * (intraday[i] ?? 0);
      halfHourCloud[i] = sigmoid(dayLogit + INTRADAY_CLOUD_SD * x);
    }
    return { date, dayOfYear: doy, meanTempC, cloudiness, halfHourTempC, halfHourCloud };
  });
}
