/**
 * Ground-truth occupancy: for each archetype and day type, when the household wakes, leaves,
 * comes back and goes to bed. Schedules are planned on the wall clock (people get up at 07:00
 * whatever the clocks did overnight) and converted to elapsed minutes of the local day, so on
 * the clock-change days the intervals still cover exactly halfHours × 30 minutes.
 * The household is 'home' if anyone is in and awake, 'asleep' if everyone in is asleep.
 */
import type { Prng } from '../prng';
import type { HomeProfile, OccupancyInterval, OccupancyState } from './types';

const MINUTES_PER_DAY = 1440;

/** Converts a wall-clock minute of the local day to elapsed minutes since local midnight. */
export function wallToElapsed(wallMinute: number, halfHours: number): number {
  if (halfHours === 46) return wallMinute < 60 ? wallMinute : wallMinute < 120 ? 60 : wallMinute - 60; // 01:00 GMT → 02:00 BST
  if (halfHours === 50) return wallMinute < 120 ? wallMinute : wallMinute + 60; // 02:00 BST → 01:00 GMT
  return wallMinute;
}

/** Segment states while planning: indices into {@link STATES}. */
const HOME = 0;
const AWAY = 1;
const ASLEEP = 2;
const STATES: readonly OccupancyState[] = ['home', 'away', 'asleep'];
/** Far more than a day's plan makes (a few outings, each splitting a segment or two). */
const MAX_SEGMENTS = 64;

/**
 * A sorted, gap-free list of wall-clock segments [from, to) with a state each. Planning runs once
 * per home-day, so the lists are two reused buffers (a paint reads one and writes the other)
 * rather than fresh arrays of tuples; Float64Array keeps every minute exactly as computed.
 */
class Segments {
  readonly from = new Float64Array(MAX_SEGMENTS);
  readonly to = new Float64Array(MAX_SEGMENTS);
  readonly state = new Uint8Array(MAX_SEGMENTS);
  length = 0;

  clear(): this {
    this.length = 0;
    return this;
  }

  add(from: number, to: number, state: number): void {
    if (this.length === MAX_SEGMENTS) throw new RangeError(`occupancy plan: more than ${MAX_SEGMENTS} segments`);
    this.from[this.length] = from;
    this.to[this.length] = to;
    this.state[this.length] = state;
    this.length++;
  }
}

const bufferA = new Segments();
const bufferB = new Segments();
/** The home segments of a plan as it was before an outing (the outing paints over that). */
const homeSnapshot = new Segments();

const clampMinute = (x: number): number => Math.min(MINUTES_PER_DAY - 1, Math.max(0, Math.round(x)));

/** Paints `state` over [from, to) on a sorted, gap-free segment list (into the other buffer). */
function paint(segments: Segments, from: number, to: number, state: number): Segments {
  if (to <= from) return segments;
  const out = (segments === bufferA ? bufferB : bufferA).clear();
  for (let k = 0; k < segments.length; k++) {
    const a = segments.from[k] ?? 0;
    const b = segments.to[k] ?? 0;
    const s = segments.state[k] ?? 0;
    if (b <= from || a >= to) {
      out.add(a, b, s);
      continue;
    }
    if (a < from) out.add(a, from, s);
    out.add(Math.max(a, from), Math.min(b, to), state);
    if (b > to) out.add(to, b, s);
  }
  return out;
}

/** Paints an outing [from, to) but only over time the household is up and at home. */
function outing(segments: Segments, from: number, to: number): Segments {
  const home = homeSnapshot.clear();
  for (let k = 0; k < segments.length; k++) if (segments.state[k] === HOME) home.add(segments.from[k] ?? 0, segments.to[k] ?? 0, HOME);
  let out = segments;
  for (let k = 0; k < home.length; k++) out = paint(out, Math.max(home.from[k] ?? 0, from), Math.min(home.to[k] ?? 0, to), AWAY);
  return out;
}

/** A wall-clock minute drawn from N(mean, sd), clamped to the day. */
function normalMinute(prng: Prng, mean: number, sd: number): number {
  return clampMinute(prng.normal(mean, sd));
}

/** Asleep until `wake` (or up late until `lateUntil`, then asleep), home until `bed`, then asleep. */
function sleepWake(wake: number, bed: number, lateUntil = 0): Segments {
  const w = Math.max(wake, lateUntil + 60);
  const b = Math.max(bed, w + 60);
  const s = bufferA.clear();
  if (lateUntil > 0) {
    s.add(0, lateUntil, HOME);
    s.add(lateUntil, w, ASLEEP);
  } else {
    s.add(0, w, ASLEEP);
  }
  s.add(w, Math.min(b, MINUTES_PER_DAY), HOME);
  if (b < MINUTES_PER_DAY) s.add(b, MINUTES_PER_DAY, ASLEEP);
  return s;
}

/** Weekday 1–4 (Mon–Thu) evenings start a night shift that ends the next morning. */
const worksNightStarting = (weekday: number): boolean => weekday >= 1 && weekday <= 4;

/**
 * Plans one day's occupancy on the wall clock.
 * @param weekday - 0 = Sunday … 6 = Saturday
 */
function planWallClock(profile: HomeProfile, prng: Prng, weekday: number): Segments {
  const previous = (weekday + 6) % 7;
  const weekend = weekday === 0 || weekday === 6;
  let s: Segments;
  // Households other than pensioners and night workers stay up past midnight on Friday and Saturday.
  const lateUntil =
    (previous === 5 || previous === 6) && profile.archetype !== 'single-pensioner' && profile.archetype !== 'night-shift'
      ? Math.max(0, Math.round(prng.normal(30, 25)))
      : 0;

  switch (profile.archetype) {
    case 'single-pensioner': {
      s = sleepWake(normalMinute(prng, 450, 40), normalMinute(prng, 1335, 40));
      if (weekday === 0) {
        if (prng.chance(0.4)) {
          const from = normalMinute(prng, 720, 60);
          s = outing(s, from, from + normalMinute(prng, 180, 60));
        }
      } else {
        if (prng.chance(0.4)) {
          const from = normalMinute(prng, 615, 45);
          s = outing(s, from, from + normalMinute(prng, 110, 40));
        }
        if (prng.chance(0.3)) {
          const from = normalMinute(prng, 870, 45);
          s = outing(s, from, from + normalMinute(prng, 90, 30));
        }
      }
      return s;
    }
    case 'working-couple':
    case 'home-worker': {
      const office = profile.archetype === 'working-couple' && !weekend && !prng.chance(0.25);
      if (weekend) {
        s = sleepWake(normalMinute(prng, 510, 60), normalMinute(prng, 1410, 30), lateUntil);
        if (prng.chance(0.7)) {
          const from = normalMinute(prng, 750, 90);
          s = outing(s, from, from + normalMinute(prng, 210, 80));
        }
        if (weekday === 6 && prng.chance(0.35)) {
          const from = normalMinute(prng, 1140, 40);
          s = outing(s, from, from + normalMinute(prng, 210, 40));
        }
        return s;
      }
      const wake = normalMinute(prng, office ? 400 : 430, office ? 25 : 30);
      s = sleepWake(wake, normalMinute(prng, 1380, 30), lateUntil);
      if (office) {
        s = outing(s, wake + Math.max(30, normalMinute(prng, 65, 12)), normalMinute(prng, 1085, 45));
        if (prng.chance(0.12)) {
          const from = normalMinute(prng, 1170, 30);
          s = outing(s, from, from + normalMinute(prng, 150, 40));
        }
      } else {
        if (prng.chance(0.3)) {
          const from = normalMinute(prng, 750, 20);
          s = outing(s, from, from + normalMinute(prng, 45, 15));
        }
        if (prng.chance(0.4)) {
          const from = normalMinute(prng, 930, 60);
          s = outing(s, from, from + normalMinute(prng, 60, 20));
        }
      }
      return s;
    }
    case 'family': {
      if (weekend) {
        s = sleepWake(normalMinute(prng, 460, 40), normalMinute(prng, 1380, 30), lateUntil);
        if (prng.chance(0.8)) {
          const from = normalMinute(prng, 660, 60);
          s = outing(s, from, from + normalMinute(prng, 180, 60));
        }
        return s;
      }
      const wake = normalMinute(prng, 400, 20);
      s = sleepWake(wake, normalMinute(prng, 1365, 30), lateUntil);
      // A parent working part-time is back by lunchtime on some days; otherwise home after school.
      const back = prng.chance(0.4) ? normalMinute(prng, 765, 40) : normalMinute(prng, 945, 30);
      s = outing(s, wake + Math.max(45, normalMinute(prng, 90, 12)), back);
      if (prng.chance(0.3)) {
        const from = normalMinute(prng, 1020, 30);
        s = outing(s, from, from + normalMinute(prng, 75, 20));
      }
      return s;
    }
    case 'night-shift': {
      const tonight = worksNightStarting(weekday);
      const leave = tonight ? normalMinute(prng, 1275, 15) : MINUTES_PER_DAY;
      if (worksNightStarting(previous)) {
        const arrive = normalMinute(prng, 465, 15);
        const sleep = arrive + Math.max(15, normalMinute(prng, 40, 15));
        const wake = Math.max(sleep + 240, normalMinute(prng, 900, 40));
        const bed = tonight ? MINUTES_PER_DAY : Math.max(wake + 120, normalMinute(prng, 1410, 30));
        s = bufferA.clear();
        s.add(0, arrive, AWAY);
        s.add(arrive, sleep, HOME);
        s.add(sleep, wake, ASLEEP);
        s.add(wake, Math.min(bed, MINUTES_PER_DAY), HOME);
        if (bed < MINUTES_PER_DAY) s.add(bed, MINUTES_PER_DAY, ASLEEP);
      } else {
        s = sleepWake(normalMinute(prng, 560, 60), tonight ? MINUTES_PER_DAY : normalMinute(prng, 1410, 30));
        if (prng.chance(0.5)) {
          const from = normalMinute(prng, 780, 60);
          s = outing(s, from, from + normalMinute(prng, 150, 60));
        }
      }
      if (tonight) s = paint(s, leave, MINUTES_PER_DAY, AWAY);
      return s;
    }
  }
}

/** Converts wall-clock segments to merged elapsed-minute intervals covering the local day. */
function toIntervals(segments: Segments, halfHours: number): OccupancyInterval[] {
  const out: OccupancyInterval[] = [];
  for (let k = 0; k < segments.length; k++) {
    const a = segments.from[k] ?? 0;
    const b = segments.to[k] ?? 0;
    const state = STATES[segments.state[k] ?? 0] ?? 'home';
    const fromMinute = wallToElapsed(a, halfHours);
    const toMinute = b >= MINUTES_PER_DAY ? halfHours * 30 : wallToElapsed(b, halfHours);
    if (toMinute <= fromMinute) continue;
    const last = out[out.length - 1];
    if (last && last.state === state && last.toMinute === fromMinute) last.toMinute = toMinute;
    else out.push({ fromMinute, toMinute, state });
  }
  return out;
}

/**
 * Plans the household's occupancy for one local day.
 * @param prng - the home-day stream (consumed in a fixed order)
 * @param weekday - 0 = Sunday … 6 = Saturday
 * @param onHoliday - the household is away all day
 * @returns intervals covering [0, halfHours × 30)
 */
export function planOccupancy(profile: HomeProfile, prng: Prng, weekday: number, halfHours: number, onHoliday: boolean): OccupancyInterval[] {
  const segments = planWallClock(profile, prng, weekday);
  if (onHoliday) return [{ fromMinute: 0, toMinute: halfHours * 30, state: 'away' }];
  return toIntervals(segments, halfHours);
}

/** 'no-activity-day': the occupant never gets up — asleep from the first sleep to the end of the day. */
export function applyNoActivityDay(intervals: readonly OccupancyInterval[], minutes: number): OccupancyInterval[] {
  const out: OccupancyInterval[] = [];
  for (const iv of intervals) {
    if (iv.state === 'asleep') {
      out.push({ fromMinute: iv.fromMinute, toMinute: minutes, state: 'asleep' });
      return out;
    }
    out.push({ ...iv });
  }
  // Never asleep (away all day): treat as at home in bed all day.
  return [{ fromMinute: 0, toMinute: minutes, state: 'asleep' }];
}

/**
 * 'disturbed-night': the occupant is up for a while in the middle of the longest sleep.
 * @returns the new intervals and the awake window, or null when nobody slept at home
 */
export function applyDisturbedNight(
  intervals: readonly OccupancyInterval[],
  prng: Prng,
): { intervals: OccupancyInterval[]; awake: { fromMinute: number; toMinute: number } } | null {
  let longest: OccupancyInterval | undefined;
  for (const iv of intervals) {
    if (iv.state === 'asleep' && (!longest || iv.toMinute - iv.fromMinute > longest.toMinute - longest.fromMinute)) longest = iv;
  }
  if (!longest || longest.toMinute - longest.fromMinute < 90) return null;
  const length = longest.toMinute - longest.fromMinute;
  const duration = Math.round(Math.min(90, length / 4, Math.max(20, prng.normal(50, 15))));
  const mid = longest.fromMinute + Math.round(length * (0.4 + 0.2 * prng.next()));
  const fromMinute = Math.max(longest.fromMinute + 10, mid - (duration >> 1));
  const toMinute = Math.min(longest.toMinute - 10, fromMinute + duration);
  const out: OccupancyInterval[] = [];
  for (const iv of intervals) {
    if (iv !== longest) {
      out.push({ ...iv });
      continue;
    }
    out.push({ fromMinute: iv.fromMinute, toMinute: fromMinute, state: 'asleep' });
    out.push({ fromMinute, toMinute, state: 'home' });
    out.push({ fromMinute: toMinute, toMinute: iv.toMinute, state: 'asleep' });
  }
  return { intervals: out, awake: { fromMinute, toMinute } };
}

/** Numeric codes used by {@link expandOccupancy}. */
export const OCCUPANCY_CODE: Readonly<Record<OccupancyState, number>> = { home: 0, away: 1, asleep: 2 };

/**
 * Expands intervals to one code per minute (see {@link OCCUPANCY_CODE}).
 * @param minutes - length of the day in minutes (halfHours × 30)
 */
export function expandOccupancy(intervals: readonly OccupancyInterval[], minutes: number): Uint8Array {
  const out = new Uint8Array(minutes);
  for (const iv of intervals) out.fill(OCCUPANCY_CODE[iv.state], Math.max(0, iv.fromMinute), Math.min(minutes, iv.toMinute));
  return out;
}

/** The occupancy state at elapsed minute `minute` (the last interval's state past the end). */
export function occupancyAt(intervals: readonly OccupancyInterval[], minute: number): OccupancyState {
  for (const iv of intervals) if (minute < iv.toMinute) return iv.state;
  return intervals[intervals.length - 1]?.state ?? 'away';
}
