/**
 * Occupant-driven appliance use and the always-on base load. Activity happens only while
 * someone is at home and awake (the occupancy ground truth), at the times British households
 * do things: breakfast kettle and shower, lunch for those at home, the evening meal that makes
 * the domestic 17:00–20:00 peak, TV and lighting until bed. Energy anchors from Ofgem's
 * "average gas and electricity usage" page (uk-reference.json: appliance_anchors): electric oven
 * 2 kWh per 30 min, tumble dryer 4.5 kWh per cycle, fridge-freezer 1 kWh per 26 h.
 */
import type { Prng } from '../prng';
import type { LoadAccumulator } from './load-accumulator';
import { wallToElapsed } from './occupancy';
import type { ActivityEvent, Appliance, HomeProfile, OccupancyInterval } from './types';

/** What the appliance model needs to know about the day. */
export interface ApplianceDay {
  profile: HomeProfile;
  prng: Prng;
  occupancy: readonly OccupancyInterval[];
  minutes: number;
  weekday: number;
  /** 0 mid-winter … 1 mid-summer. */
  summer: number;
  /** Daily mean outdoor temperature at the home, °C. */
  meanTempC: number;
  /** Daily mean cloud fraction. */
  cloudiness: number;
  /** Elapsed minutes of sunrise and sunset. */
  sunriseMinute: number;
  sunsetMinute: number;
  /** Half hours in the local day (46, 48 or 50): turns wall-clock minutes into elapsed ones. */
  halfHours: number;
}

const KETTLE_W = 3000;

/** The 'home' interval containing `minute`. */
function homeIntervalAt(occupancy: readonly OccupancyInterval[], minute: number): OccupancyInterval | undefined {
  for (const iv of occupancy) if (iv.state === 'home' && minute >= iv.fromMinute && minute < iv.toMinute) return iv;
  return undefined;
}

/** First 'home' interval that overlaps [from, to). */
function firstHomeIn(occupancy: readonly OccupancyInterval[], from: number, to: number): OccupancyInterval | undefined {
  for (const iv of occupancy) if (iv.state === 'home' && iv.toMinute > from && iv.fromMinute < to) return iv;
  return undefined;
}

function poisson(prng: Prng, mean: number): number {
  // Knuth: fine for the small means used here.
  const limit = Math.exp(-mean);
  let k = 0;
  let p = prng.next();
  while (p > limit) {
    k++;
    p *= prng.next();
  }
  return k;
}

/** Builds one day's event list; a class rather than closures keeps the hot path allocation-light. */
class ActivityPlanner {
  readonly events: ActivityEvent[] = [];
  readonly occupancy: readonly OccupancyInterval[];
  readonly prng: Prng;
  readonly minutes: number;

  constructor(readonly day: ApplianceDay) {
    this.occupancy = day.occupancy;
    this.prng = day.prng;
    this.minutes = day.minutes;
  }

  normal(mean: number, sd: number): number {
    return this.prng.normal(mean, sd);
  }

  uniform(a: number, b: number): number {
    return a + (b - a) * this.prng.next();
  }

  /**
   * Records a use starting at `minute`; someone has to be up and at home to switch it on, so a
   * start that falls outside that moves to the next return home within the hour, or is dropped.
   * @returns the minute the appliance finishes
   */
  push(minute: number, appliance: Appliance, watts: number, duration: number): number {
    let m = Math.round(minute);
    const d = Math.max(1, Math.round(duration));
    if (!homeIntervalAt(this.occupancy, m)) {
      const next = firstHomeIn(this.occupancy, m, m + 60);
      if (!next || next.fromMinute < m) return m;
      m = next.fromMinute;
    }
    if (m < 0 || m >= this.minutes) return m;
    this.events.push({ minute: m, appliance, watts: Math.round(watts), durationMinutes: Math.min(d, this.minutes - m) });
    return m + d;
  }

  /** A uniformly chosen home-and-awake minute within a wall-clock window, or -1. */
  randomHomeMinute(fromWall = 0, toWall = 1440): number {
    const from = wallToElapsed(fromWall, this.day.halfHours);
    const to = wallToElapsed(toWall, this.day.halfHours);
    let total = 0;
    for (const iv of this.occupancy) if (iv.state === 'home') total += Math.max(0, Math.min(iv.toMinute, to) - Math.max(iv.fromMinute, from));
    if (total <= 0) return -1;
    let u = this.prng.next() * total;
    for (const iv of this.occupancy) {
      if (iv.state !== 'home') continue;
      const len = Math.max(0, Math.min(iv.toMinute, to) - Math.max(iv.fromMinute, from));
      if (u < len) return Math.max(iv.fromMinute, from) + u;
      u -= len;
    }
    return -1;
  }
}

/**
 * Generates the day's occupant activity (sorted by minute).
 * @returns events; every one starts while someone is home and awake
 */
export function generateActivity(day: ApplianceDay): ActivityEvent[] {
  const { profile, prng, occupancy, halfHours } = day;
  const plan = new ActivityPlanner(day);
  const scale = profile.usageScale;
  const occ = profile.occupants;
  const electricCooking = profile.cooking === 'electric';
  const winter = 1 - day.summer;

  let homeMinutes = 0;
  for (const iv of occupancy) if (iv.state === 'home') homeMinutes += iv.toMinute - iv.fromMinute;
  if (homeMinutes === 0) return plan.events;

  // Getting up: the first home interval that starts in the morning (or the night worker's return).
  const morning = firstHomeIn(occupancy, wallToElapsed(240, halfHours), wallToElapsed(720, halfHours));
  if (morning && morning.fromMinute >= wallToElapsed(240, halfHours)) {
    const t = morning.fromMinute + plan.uniform(5, 25);
    plan.push(t, 'kettle', KETTLE_W, plan.uniform(2.5, 4));
    if (prng.chance(0.45)) plan.push(t + 3, 'toaster', 1000, 3);
    if (prng.chance(0.15)) plan.push(t + 6, 'microwave', 900, 3);
    const span = Math.min(75, morning.toMinute - morning.fromMinute);
    for (let k = 0; k < occ; k++) {
      if (profile.electricShower && prng.chance(0.5)) plan.push(morning.fromMinute + plan.uniform(0, span), 'shower', 9000, Math.max(3, plan.normal(8, 2)));
    }
    if (prng.chance(0.25 * Math.min(occ, 3))) plan.push(morning.fromMinute + plan.uniform(10, span), 'hair-dryer', 1800, plan.normal(6, 2));
  }

  // Lunch for whoever is at home.
  const lunch = wallToElapsed(750, halfHours) + plan.normal(0, 25);
  if (homeIntervalAt(occupancy, lunch)) {
    plan.push(lunch - 5, 'kettle', KETTLE_W, 3);
    const u = prng.next();
    if (electricCooking && u < 0.35) plan.push(lunch, 'hob', 1800, plan.normal(12, 4));
    else if (u < 0.7) plan.push(lunch, 'microwave', 1000, plan.normal(4, 1));
    else if (u < 0.85) plan.push(lunch, 'toaster', 1000, 3);
  }

  // The evening meal: what makes the 17:00–20:00 peak.
  const dinnerTarget =
    wallToElapsed(profile.archetype === 'single-pensioner' ? 1020 : profile.archetype === 'family' ? 1050 : 1095, halfHours) + plan.normal(0, 30);
  let dinner = -1;
  const here = homeIntervalAt(occupancy, dinnerTarget);
  if (here && here.toMinute - dinnerTarget > 40) dinner = dinnerTarget;
  else {
    const later = firstHomeIn(occupancy, dinnerTarget, dinnerTarget + 150);
    if (later && later.fromMinute >= dinnerTarget && later.toMinute - later.fromMinute > 60) dinner = later.fromMinute + plan.uniform(10, 30);
  }
  if (dinner >= 0) {
    const cookScale = Math.min(1.6, 0.7 + 0.2 * occ) * scale;
    if (electricCooking) {
      const sundayRoast = day.weekday === 0 && prng.chance(0.4);
      if (sundayRoast || prng.chance(0.35 + 0.2 * winter)) {
        const length = sundayRoast ? plan.normal(100, 20) : plan.normal(45, 12) * cookScale * (0.8 + 0.4 * winter);
        plan.push(dinner - length + 15, 'oven', 2000, length);
      }
      if (prng.chance(0.8)) plan.push(dinner - 20, 'hob', 1800, plan.normal(20, 6) * cookScale);
    }
    if (prng.chance(electricCooking ? 0.3 : 0.5)) plan.push(dinner - 8, 'microwave', 1000, plan.normal(5, 1.5));
    if (prng.chance(0.5)) plan.push(dinner - 12, 'kettle', KETTLE_W, 3);
    if (prng.chance(0.6)) plan.push(dinner + plan.uniform(50, 120), 'kettle', KETTLE_W, 3);
  }

  // Kettles through the day.
  const kettles = poisson(prng, (0.09 * (0.85 + 0.3 * winter) * Math.sqrt(occ) * scale * homeMinutes) / 60);
  for (let k = 0; k < kettles; k++) {
    const m = plan.randomHomeMinute();
    if (m >= 0) plan.push(m, 'kettle', KETTLE_W, plan.uniform(2.5, 4));
  }

  // Laundry, then drying: more often at weekends, dryer more in winter.
  const washesPerWeek = (1.0 + 0.8 * occ) * scale;
  const weekend = day.weekday === 0 || day.weekday === 6;
  if (prng.chance(Math.min(0.95, (washesPerWeek / 7) * (weekend ? 1.4 : 0.85)))) {
    const m = plan.randomHomeMinute(420, 1260);
    if (m >= 0) {
      const end = plan.push(plan.push(m, 'washing-machine', 2000, 15), 'washing-machine', 250, plan.normal(65, 8));
      if (profile.tumbleDryer && prng.chance(0.25 + 0.45 * winter)) plan.push(end + plan.uniform(0, 40), 'tumble-dryer', 2500, Math.max(45, plan.normal(105, 15)));
    }
  }
  if (profile.dishwasher && prng.chance(Math.min(0.9, (0.25 + 0.12 * occ) * scale))) {
    const m = dinner >= 0 ? dinner + plan.uniform(45, 120) : plan.randomHomeMinute();
    if (m >= 0) plan.push(plan.push(m, 'dishwasher', 2000, 20), 'dishwasher', 120, plan.normal(90, 10));
  }
  if (prng.chance(0.15 * scale)) {
    const m = plan.randomHomeMinute(540, 1140);
    if (m >= 0) plan.push(m, 'vacuum', 1200, plan.normal(20, 5));
  }

  // A fan heater to top up a cold room on cold evenings.
  if (profile.fanHeater && day.meanTempC < 8 && prng.chance((8 - day.meanTempC) / 10)) {
    const m = plan.randomHomeMinute(1020, 1320);
    if (m >= 0) plan.push(m, 'fan-heater', 2000, Math.max(20, plan.normal(80, 30)));
  }

  // Screens: evening TV for everyone; daytime TV for pensioners; a computer for home workers.
  const tvW = 90 + 40 * (occ - 1);
  const eveningStart = wallToElapsed(profile.archetype === 'family' ? 960 : 1050, halfHours) + plan.normal(0, 30);
  for (const iv of occupancy) {
    if (iv.state !== 'home' || iv.toMinute <= eveningStart) continue;
    const from = Math.max(iv.fromMinute, eveningStart) + plan.uniform(0, 20);
    const to = iv.toMinute - plan.uniform(0, 20);
    if (to - from > 20 && prng.chance(0.9)) plan.push(from, 'television', tvW, (to - from) * Math.min(1, (0.5 + 0.25 * winter) * scale + 0.1));
  }
  if (profile.archetype === 'single-pensioner') {
    const m = wallToElapsed(840, halfHours) + plan.normal(0, 30);
    const iv = homeIntervalAt(occupancy, m);
    if (iv && prng.chance(0.6)) plan.push(m, 'television', tvW, Math.min(iv.toMinute - m, plan.normal(120, 40)));
  }
  if (!weekend && (profile.archetype === 'home-worker' || profile.archetype === 'working-couple')) {
    for (const iv of occupancy) {
      if (iv.state !== 'home') continue;
      const from = Math.max(iv.fromMinute, wallToElapsed(540, halfHours));
      const to = Math.min(iv.toMinute, wallToElapsed(1050, halfHours));
      if (to - from > 30) plan.push(from, 'computer', 110, to - from);
    }
  }

  // Lighting while someone is up and it is dark (later on dull days).
  const dull = day.cloudiness * 40;
  const lightsOffMorning = day.sunriseMinute + 20 + dull;
  const lightsOnEvening = day.sunsetMinute - 30 - dull;
  for (const iv of occupancy) {
    if (iv.state !== 'home') continue;
    if (iv.fromMinute < lightsOffMorning) plan.push(iv.fromMinute, 'lighting', profile.lightingW, Math.min(iv.toMinute, lightsOffMorning) - iv.fromMinute);
    if (iv.toMinute > lightsOnEvening) {
      const from = Math.max(iv.fromMinute, lightsOnEvening);
      plan.push(from, 'lighting', profile.lightingW, iv.toMinute - from);
    } else if (day.cloudiness > 0.85 && day.summer < 0.35 && iv.toMinute - iv.fromMinute > 60) {
      // A dark winter day: some lights on indoors through the day.
      plan.push(iv.fromMinute, 'lighting', profile.lightingW * 0.3, iv.toMinute - iv.fromMinute);
    }
  }

  return sortByMinute(plan.events);
}

/**
 * Sorts activity by start minute in place, keeping events of the same minute in the order they
 * were planned — the order a stable `sort((a, b) => a.minute - b.minute)` gives. An insertion sort:
 * a day's dozen or so events arrive nearly in order, where this beats the generic sort's set-up.
 * @returns `events`
 */
export function sortByMinute(events: ActivityEvent[]): ActivityEvent[] {
  for (let i = 1; i < events.length; i++) {
    const e = events[i] as ActivityEvent;
    let j = i - 1;
    while (j >= 0 && (events[j] as ActivityEvent).minute > e.minute) {
      events[j + 1] = events[j] as ActivityEvent;
      j--;
    }
    events[j + 1] = e;
  }
  return events;
}

/** Activity for a 'disturbed-night' wake: lights, a kettle, often the TV. */
export function nightWakeActivity(profile: HomeProfile, prng: Prng, fromMinute: number, toMinute: number): ActivityEvent[] {
  const length = toMinute - fromMinute;
  const events: ActivityEvent[] = [
    { minute: fromMinute, appliance: 'lighting', watts: profile.lightingW, durationMinutes: length },
    { minute: fromMinute + Math.min(length - 4, 3 + Math.floor(prng.next() * 10)), appliance: 'kettle', watts: KETTLE_W, durationMinutes: 3 },
  ];
  if (prng.chance(0.6)) events.push({ minute: fromMinute + 12, appliance: 'television', watts: 90, durationMinutes: Math.max(5, length - 20) });
  return events;
}

/** Adds each event to the accumulator. */
export function accumulateEvents(events: readonly ActivityEvent[], into: LoadAccumulator): void {
  for (const e of events) into.add(e.minute, e.minute + e.durationMinutes, e.watts);
}

/**
 * Loads nobody switches: standby, cold appliances cycling (more in warm weather), small plug
 * loads while people are up, and a gas boiler's pump and fan when the heating is on.
 */
export function accumulateBaseLoad(day: ApplianceDay, into: LoadAccumulator): void {
  const { profile, prng, occupancy, minutes } = day;
  into.addConstant(profile.standbyW);
  // Fridge-freezer: compressor cycles; warmer kitchens mean longer runs (≈ +1.5% per °C).
  const avgW = profile.fridgeW * (1 + 0.015 * (day.meanTempC - 10));
  const onW = Math.max(avgW * 1.5, 90);
  const period = 45 + 15 * prng.next();
  const onMinutes = (period * avgW) / onW;
  for (let t = -period * prng.next(); t < minutes; t += period) into.add(t, t + onMinutes, onW);
  // Chargers, router traffic, kitchen gadgets: a little extra while people are up.
  // (more by day: radios, laptops, chargers, hobbies; evening screens are separate events)
  const plugW = 20 * Math.sqrt(profile.occupants) * profile.usageScale;
  const dayFrom = wallToElapsed(540, day.halfHours);
  const dayTo = wallToElapsed(1020, day.halfHours);
  const heatingOn = profile.heating === 'gas' && day.meanTempC < 15.5;
  const pumpW = heatingOn ? 85 * Math.min(1, 0.25 + (15.5 - day.meanTempC) / 12) : 0;
  for (const iv of occupancy) {
    if (iv.state !== 'home') continue;
    into.add(iv.fromMinute, iv.toMinute, plugW);
    into.add(Math.max(iv.fromMinute, dayFrom), Math.min(iv.toMinute, dayTo), 2 * plugW);
    if (pumpW > 0) into.add(iv.fromMinute - 30, iv.toMinute - 30, pumpW);
  }
}
