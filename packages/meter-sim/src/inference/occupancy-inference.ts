/**
 * What a party holding a home's half-hourly reads could infer about the people in it — the
 * privacy question of the comparison. A deliberately simple detector (published smart-meter
 * studies do better, so these figures are a lower bound on the leak): a half hour is "someone
 * awake at home" when its import rises clearly above the day's baseload, and the day's wake-up is
 * the first such half hour after 04:00. Scored against the simulation's ground truth.
 */
import type { OccupancyInterval } from '../home/types';

/** One home-day of evidence: the reads a party holds and the ground truth. */
export interface InferenceDay {
  importWh: readonly number[];
  occupancy: readonly OccupancyInterval[];
}

/** How well the reads revealed occupancy. */
export interface InferenceScore {
  halfHours: number;
  /** Share of half hours where "awake at home" was inferred correctly. */
  accuracy: number;
  /** Share a guess of the commonest state would get right (the no-information baseline). */
  baseline: number;
  /** Mean absolute error of the inferred wake-up time, minutes (days with a true wake-up). */
  wakeErrorMinutes: number | null;
  /** Days whose wake-up time was inferred within 30 minutes, of days with a true wake-up. */
  wakeWithin30: number;
  daysWithWake: number;
}

function awakeHomeAt(occupancy: readonly OccupancyInterval[], minute: number): boolean {
  for (const interval of occupancy) if (minute >= interval.fromMinute && minute < interval.toMinute) return interval.state === 'home';
  return false;
}

/** Half hours inferred as "someone awake at home". */
export function inferActive(importWh: readonly number[]): boolean[] {
  const sorted = [...importWh].sort((a, b) => a - b);
  const baseload = sorted[Math.floor(sorted.length * 0.2)] ?? 0;
  const threshold = baseload * 1.6 + 40;
  return importWh.map((wh) => wh > threshold);
}

function trueWake(occupancy: readonly OccupancyInterval[]): number | null {
  for (let i = 1; i < occupancy.length; i++) {
    const previous = occupancy[i - 1];
    const current = occupancy[i];
    if (previous?.state === 'asleep' && current?.state === 'home' && current.fromMinute >= 240) return current.fromMinute;
  }
  return null;
}

/** Scores the detector over many home-days. */
export function scoreOccupancyInference(days: readonly InferenceDay[]): InferenceScore {
  let correct = 0;
  let total = 0;
  let awake = 0;
  let wakeError = 0;
  let wakeDays = 0;
  let within = 0;
  for (const day of days) {
    const active = inferActive(day.importWh);
    for (let i = 0; i < active.length; i++) {
      const truth = awakeHomeAt(day.occupancy, i * 30 + 15);
      if (truth) awake++;
      if (truth === active[i]) correct++;
      total++;
    }
    const wake = trueWake(day.occupancy);
    if (wake !== null) {
      const inferred = active.findIndex((a, i) => a && i * 30 >= 240);
      const minutes = inferred < 0 ? 24 * 60 : inferred * 30;
      const error = Math.abs(minutes - wake);
      wakeError += error;
      wakeDays++;
      if (error <= 30) within++;
    }
  }
  return {
    halfHours: total,
    accuracy: total === 0 ? 0 : correct / total,
    baseline: total === 0 ? 0 : Math.max(awake, total - awake) / total,
    wakeErrorMinutes: wakeDays === 0 ? null : wakeError / wakeDays,
    wakeWithin30: wakeDays === 0 ? 0 : within / wakeDays,
    daysWithWake: wakeDays,
  };
}
