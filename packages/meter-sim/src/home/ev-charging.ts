/**
 * EV home charging on a 7 kW charger. The car is charged every `chargeEveryDays` days with the
 * energy driven since the last charge (miles ÷ 2.42 mi/kWh, uk-reference.json), either from the
 * smart charger's default off-peak start (23:30 or 00:30, plus the up-to-600 s randomised delay of
 * the Smart Charge Points Regulations 2021) or on arriving home. A session can run past midnight,
 * so a day also includes the tail of the previous day's session. Under a load-control cap the
 * charger draws at most the cap and delivers the rest later, until the car leaves.
 */
import { forkPrng } from '../prng';
import { BoundedCache } from './cache';
import { forEachCappedPiece } from './controls';
import type { CapWindow } from './controls';
import { dayContext } from './day-context';
import type { DayContext } from './day-context';
import { wallToElapsed } from './occupancy';
import { EV_MILES_PER_KWH, isOnHoliday } from './profile';
import type { LoadAccumulator } from './load-accumulator';
import type { HomeProfile } from './types';

/** One charging session in UTC milliseconds. */
export interface EvSession {
  plugUtc: number;
  departUtc: number;
  energyWh: number;
}

const MINUTE_MS = 60_000;
const sessions = new BoundedCache<EvSession | null>(16_384);

/** The session that starts (is planned) on the context's date, or null if the car isn't charged that day. */
export function evSession(profile: HomeProfile, ctx: DayContext): EvSession | null {
  const ev = profile.ev;
  if (!ev) return null;
  const { date } = ctx;
  const days = ctx.dayNumber;
  if (isOnHoliday(profile, ctx.weather.dayOfYear)) return null; // the car went too
  if ((((days - ev.chargePhase) % ev.chargeEveryDays) + ev.chargeEveryDays) % ev.chargeEveryDays !== 0) return null;
  return sessions.get(`${profile.worldSeed}\u0000${profile.index}\u0000${date}`, () => {
    const prng = forkPrng(profile.worldSeed, `home/${profile.index}/${date}/ev`);
    if (prng.chance(0.08)) return null; // not needed, or the car is elsewhere
    const energyWh = Math.min(
      0.9 * ev.batteryKwh * 1000,
      Math.max(2000, ((ev.chargeEveryDays * ev.milesPerDay) / EV_MILES_PER_KWH) * 1000 * Math.exp(prng.normal(0, 0.25))),
    );
    const { startUtc, endUtc, halfHours } = ctx.day;
    const randomDelay = prng.next() * 600_000;
    const nextMorning = endUtc + (7 * 60 + 30 + prng.normal(0, 20)) * MINUTE_MS;
    if (ev.plugIn === 'overnight') {
      const plugUtc = endUtc + (prng.chance(0.45) ? -30 : 30) * MINUTE_MS + randomDelay;
      return { plugUtc, departUtc: nextMorning, energyWh };
    }
    if (profile.archetype === 'night-shift') {
      const plugUtc = startUtc + wallToElapsed(465 + prng.normal(0, 15), halfHours) * MINUTE_MS;
      return { plugUtc, departUtc: startUtc + wallToElapsed(1260, halfHours) * MINUTE_MS, energyWh };
    }
    const plugUtc = startUtc + wallToElapsed(Math.min(1380, 1095 + prng.normal(0, 45)), halfHours) * MINUTE_MS;
    return { plugUtc, departUtc: nextMorning, energyWh };
  });
}

/**
 * Adds EV charging that falls in the context's local day (today's session and the tail
 * of yesterday's) to the household total and the EV sub-meter.
 * @param windows - EV control windows in elapsed minutes of this day
 */
export function accumulateEvCharging(
  profile: HomeProfile,
  ctx: DayContext,
  windows: readonly CapWindow[],
  total: LoadAccumulator,
  ev: LoadAccumulator,
): void {
  if (!profile.ev) return;
  const maxW = profile.ev.chargerKw * 1000;
  const startUtc = ctx.day.startUtc;
  for (let k = 0; k < 2; k++) {
    const session = evSession(profile, k === 0 ? dayContext(profile.worldSeed, ctx.previousDate) : ctx);
    if (!session) continue;
    let remainingWh = session.energyWh;
    const from = (session.plugUtc - startUtc) / MINUTE_MS;
    const to = (session.departUtc - startUtc) / MINUTE_MS;
    forEachCappedPiece(from, to, windows, maxW, (a, b, cap) => {
      if (remainingWh <= 0 || cap <= 0) return;
      const hours = (b - a) / 60;
      const wh = Math.min(remainingWh, cap * hours);
      remainingWh -= wh;
      const end = a + (wh / cap) * 60;
      total.add(a, end, cap);
      ev.add(a, end, cap);
    });
  }
}
