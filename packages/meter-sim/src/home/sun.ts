/**
 * Where the sun is: declination, equation of time, sunrise/sunset and plane-of-array irradiance
 * for a south-facing roof. NOAA / Spencer-style approximations (declination after Cooper 1969,
 * equation of time after Woolf), accurate to a few minutes — ample for lighting and PV shapes.
 */
import { parseLocalDate } from '../calendar';

const DEG = Math.PI / 180;
const MINUTE_MS = 60_000;

/** Day of the year, 1 = 1 January. */
export function dayOfYear(date: string): number {
  const { year, month, day } = parseLocalDate(date);
  return Math.round((Date.UTC(year, month - 1, day) - Date.UTC(year, 0, 1)) / 86_400_000) + 1;
}

/** Days since 1970-01-01 of a local date (a stable day counter for periodic behaviour). */
export function dayNumber(date: string): number {
  const { year, month, day } = parseLocalDate(date);
  return Math.round(Date.UTC(year, month - 1, day) / 86_400_000);
}

/** Solar declination in radians on day-of-year `doy` (Cooper 1969). */
export function declination(doy: number): number {
  return 23.44 * DEG * Math.sin((2 * Math.PI * (284 + doy)) / 365);
}

/** Equation of time in minutes (apparent minus mean solar time). */
export function equationOfTimeMinutes(doy: number): number {
  const b = (2 * Math.PI * (doy - 81)) / 364;
  return 9.87 * Math.sin(2 * b) - 7.53 * Math.cos(b) - 1.5 * Math.sin(b);
}

/** Sunrise and sunset as UTC instants. */
export interface SunTimes {
  sunriseUtc: number;
  sunsetUtc: number;
  /** Solar noon, UTC instant. */
  noonUtc: number;
}

/**
 * Sunrise and sunset (upper limb with refraction, −0.833°) at `latitude`/`longitude` on `date`.
 * GB latitudes never have polar day or night, but the hour angle is clamped all the same.
 */
export function sunTimes(date: string, latitude: number, longitude: number): SunTimes {
  const doy = dayOfYear(date);
  const { year, month, day } = parseLocalDate(date);
  const midnightUtc = Date.UTC(year, month - 1, day);
  const noonMinutes = 720 - 4 * longitude - equationOfTimeMinutes(doy);
  const dec = declination(doy);
  const phi = latitude * DEG;
  const cosH0 = (Math.sin(-0.833 * DEG) - Math.sin(phi) * Math.sin(dec)) / (Math.cos(phi) * Math.cos(dec));
  const h0 = Math.acos(Math.max(-1, Math.min(1, cosH0))) / DEG;
  return {
    sunriseUtc: midnightUtc + (noonMinutes - 4 * h0) * MINUTE_MS,
    sunsetUtc: midnightUtc + (noonMinutes + 4 * h0) * MINUTE_MS,
    noonUtc: midnightUtc + noonMinutes * MINUTE_MS,
  };
}

/** Roof tilt assumed for PV (degrees from horizontal), typical of GB pitched roofs. */
export const PV_TILT_DEG = 35;

/** Clear-sky irradiance on the PV plane, W/m². */
export interface ClearSkyPlane {
  /** Direct beam on the tilted plane. */
  beam: number;
  /** Clear-sky diffuse on the tilted plane. */
  diffuse: number;
  /** Beam-horizontal irradiance seen as isotropic diffuse: what cloud scatters rather than removes. */
  scatteredBeam: number;
}

const TILT_RAD = PV_TILT_DEG * DEG;
const SKY_VIEW = (1 + Math.cos(TILT_RAD)) / 2;

/**
 * Clear-sky irradiance on the PV plane through one day at one latitude: the terms that depend on
 * latitude and declination only are computed once, so a day's 150-odd samples each cost the
 * hour-angle terms alone. Gives exactly the figures of {@link clearSkyPlane} (same operations in
 * the same order).
 */
export class ClearSkyDay {
  private readonly sinLatSinDec: number;
  private readonly cosLatCosDec: number;
  private readonly incidenceConstant: number;
  private readonly incidenceCosine: number;

  /** Direct beam on the tilted plane, W/m², of the last {@link sample}. */
  beam = 0;
  /** Clear-sky diffuse on the tilted plane, W/m², of the last {@link sample}. */
  diffuse = 0;
  /** Beam-horizontal irradiance seen as isotropic diffuse, W/m², of the last {@link sample}. */
  scatteredBeam = 0;

  constructor(latitudeRad: number, dec: number) {
    this.sinLatSinDec = Math.sin(latitudeRad) * Math.sin(dec);
    this.cosLatCosDec = Math.cos(latitudeRad) * Math.cos(dec);
    this.incidenceConstant = Math.sin(dec) * Math.sin(latitudeRad - TILT_RAD);
    this.incidenceCosine = Math.cos(dec) * Math.cos(latitudeRad - TILT_RAD);
  }

  /** Sets beam, diffuse and scatteredBeam for hour angle `hourAngle` (radians). */
  sample(hourAngle: number): void {
    const cosHour = Math.cos(hourAngle);
    const sinH = this.sinLatSinDec + this.cosLatCosDec * cosHour;
    if (sinH <= 0.01) {
      this.beam = 0;
      this.diffuse = 0;
      this.scatteredBeam = 0;
      return;
    }
    const airMass = 1 / (sinH + 0.50572 * Math.pow(Math.asin(sinH) / DEG + 6.07995, -1.6364));
    const dni = 1353 * Math.pow(0.7, Math.pow(airMass, 0.678));
    const cosIncidence = this.incidenceConstant + this.incidenceCosine * cosHour;
    this.beam = dni * Math.max(0, cosIncidence);
    this.diffuse = 0.1 * dni * sinH * SKY_VIEW;
    this.scatteredBeam = dni * sinH * SKY_VIEW;
  }
}

/**
 * Clear-sky irradiance components at hour angle `hourAngle` (radians): beam on a south-facing
 * plane tilted `PV_TILT_DEG`, and sky-diffuse on the same plane, in W/m². Beam from a
 * Meinel-style air-mass model (1353 × 0.7^(AM^0.678)), diffuse ≈ 10% of beam-normal × sin h.
 * (Many samples of one day: {@link ClearSkyDay}.)
 */
export function clearSkyPlane(latitudeRad: number, dec: number, hourAngle: number): ClearSkyPlane {
  const day = new ClearSkyDay(latitudeRad, dec);
  day.sample(hourAngle);
  return { beam: day.beam, diffuse: day.diffuse, scatteredBeam: day.scatteredBeam };
}
