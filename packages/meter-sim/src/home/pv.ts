/**
 * Rooftop PV: output per kWp for each half hour of a local day, from the sun's position over a
 * south-facing 35° roof and the world's half-hourly cloud. Scaled so that, averaged over the
 * weather model's climate, a due-south unshaded kWp yields the published regional figure
 * (uk-reference.json pv.yield_kwh_per_kwp_year: London 1,000, Midlands 940, Manchester 880,
 * Edinburgh 840); a particular world's year varies around it with its weather, and each roof's
 * orientation factor (0.85–1.0) scales it down.
 */
import { londonDay } from '../calendar';
import { BoundedCache } from './cache';
import { REGION_COORDINATES } from './profile';
import { ClearSkyDay, declination, equationOfTimeMinutes, dayOfYear } from './sun';
import { DAILY_CLOUD_SD, INTRADAY_CLOUD_SD, climateMeanCloud, dailyWeather } from './weather';
import type { Region } from './types';

/** Published yield of a due-south kWp, kWh per year, by region. */
export const REGION_YIELD_KWH_PER_KWP: Readonly<Record<Region, number>> = {
  'london-south': 1000,
  midlands: 940,
  north: 880,
  scotland: 840,
};

const DEG = Math.PI / 180;
const SUBSAMPLES = 3;

/** Global clearness under cloud fraction c (Kasten & Czeplak 1980). */
const clearness = (c: number): number => 1 - 0.75 * Math.pow(c, 3.4);

/** Plane-of-array irradiance (W/m²) under cloud `c`: cloud removes beam and scatters part of it. */
function planeIrradiance(beam: number, diffuse: number, scatteredBeam: number, c: number): number {
  return clearness(c) * ((1 - c) * beam + diffuse + 0.35 * c * scatteredBeam);
}

/** The last {@link halfHourClearSky}'s mean components (one reused object: called ≈ 18,000 times per region at start-up). */
const clearSky = { beam: 0, diffuse: 0, scattered: 0 };

/** Mean clear-sky components over half hour starting `utcMinuteOfDay` (minutes after 00:00 UTC), into {@link clearSky}. */
function halfHourClearSky(sky: ClearSkyDay, noonUtcMinute: number, utcMinuteOfDay: number): typeof clearSky {
  let beam = 0;
  let diffuse = 0;
  let scattered = 0;
  for (let s = 0; s < SUBSAMPLES; s++) {
    const minute = utcMinuteOfDay + ((s + 0.5) * 30) / SUBSAMPLES;
    const hourAngle = ((minute - noonUtcMinute) / 4) * DEG;
    sky.sample(hourAngle);
    beam += sky.beam / SUBSAMPLES;
    diffuse += sky.diffuse / SUBSAMPLES;
    scattered += sky.scatteredBeam / SUBSAMPLES;
  }
  clearSky.beam = beam;
  clearSky.diffuse = diffuse;
  clearSky.scattered = scattered;
  return clearSky;
}

const normalisations = new BoundedCache<number>(16);

/**
 * Expected irradiance-hours per year (W·h/m²) on the plane under the weather model's climate:
 * expectation over the logit-normal half-hourly cloud of each day of a 365-day year.
 */
function expectedAnnualIrradiation(region: Region): number {
  return normalisations.get(region, () => {
    const latRad = REGION_COORDINATES[region].latitude * DEG;
    const lon = REGION_COORDINATES[region].longitude;
    // Quadrature on a 0.25-sd grid over ±4.5 sd with normal weights.
    const nodes: number[] = [];
    const weights: number[] = [];
    for (let z = -4.5; z <= 4.5001; z += 0.25) {
      nodes.push(z);
      weights.push(Math.exp(-z * z / 2));
    }
    const wsum = weights.reduce((a, b) => a + b, 0);
    const sd = Math.hypot(DAILY_CLOUD_SD, INTRADAY_CLOUD_SD);
    let total = 0;
    for (let doy = 1; doy <= 365; doy++) {
      const dec = declination(doy);
      const noon = 720 - 4 * lon - equationOfTimeMinutes(doy);
      const mean = Math.log(climateMeanCloud(doy) / (1 - climateMeanCloud(doy)));
      // planeIrradiance is linear in (beam, diffuse, scattered) with cloud-only weights, so the
      // expectation needs just three cloud moments per day.
      let beamWeight = 0;
      let diffuseWeight = 0;
      let scatteredWeight = 0;
      for (let k = 0; k < nodes.length; k++) {
        const c = 1 / (1 + Math.exp(-(mean + sd * (nodes[k] ?? 0))));
        const w = (weights[k] ?? 0) / wsum;
        beamWeight += w * planeIrradiance(1, 0, 0, c);
        diffuseWeight += w * planeIrradiance(0, 1, 0, c);
        scatteredWeight += w * planeIrradiance(0, 0, 1, c);
      }
      const sky = new ClearSkyDay(latRad, dec);
      for (let hh = 0; hh < 48; hh++) {
        const cs = halfHourClearSky(sky, noon, hh * 30);
        total += 0.5 * (beamWeight * cs.beam + diffuseWeight * cs.diffuse + scatteredWeight * cs.scattered);
      }
    }
    return total;
  });
}

/**
 * PV output of one due-south kWp in each half hour of local `date` (Wh), for the world's weather.
 * Shared by every home of the region (memoised by the day context).
 */
export function pvWhPerKwp(worldSeed: string, date: string, region: Region): Float64Array {
  const { startUtc, halfHours } = londonDay(date);
  const weather = dailyWeather(worldSeed, date);
  const doy = dayOfYear(date);
  const { latitude, longitude } = REGION_COORDINATES[region];
  const dec = declination(doy);
  const noon = 720 - 4 * longitude - equationOfTimeMinutes(doy);
  const scale = (REGION_YIELD_KWH_PER_KWP[region] * 1000) / expectedAnnualIrradiation(region);
  const out = new Float64Array(halfHours);
  const utcMinuteAtStart = (((startUtc / 60_000) % 1440) + 1440) % 1440;
  const sky = new ClearSkyDay(latitude * DEG, dec);
  for (let i = 0; i < halfHours; i++) {
    const cs = halfHourClearSky(sky, noon, utcMinuteAtStart + i * 30 - (utcMinuteAtStart > 720 ? 1440 : 0));
    if (cs.beam + cs.diffuse === 0) continue;
    out[i] = scale * 0.5 * planeIrradiance(cs.beam, cs.diffuse, cs.scattered, weather.halfHourCloud[i] ?? 0.7);
  }
  return out;
}
