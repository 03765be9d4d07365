/**
 * Europe/London local days for half-hourly settlement. GB clocks go forward at 01:00 UTC on the
 * last Sunday of March and back at 01:00 UTC on the last Sunday of October (Summer Time Order
 * 2002, EU Directive 2000/84/EC timing), so a local day has 46, 48 or 50 half-hours.
 * Pure arithmetic on UTC milliseconds: no Intl, no ambient clock.
 */

import { BoundedCache } from './home/cache';

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;
/** Length of one settlement period. */
export const HALF_HOUR_MS = 1_800_000;

/** A local calendar date, `YYYY-MM-DD`. */
export type LocalDate = string;

/** UTC instant at which British Summer Time starts in `year` (last Sunday in March, 01:00 UTC). */
export function bstStartUtc(year: number): number {
  return lastSundayUtc(year, 2) + HOUR_MS;
}

/** UTC instant at which British Summer Time ends in `year` (last Sunday in October, 01:00 UTC). */
export function bstEndUtc(year: number): number {
  return lastSundayUtc(year, 9) + HOUR_MS;
}

function lastSundayUtc(year: number, monthIndex: number): number {
  const lastDay = Date.UTC(year, monthIndex + 1, 0);
  const weekday = new Date(lastDay).getUTCDay();
  return lastDay - weekday * DAY_MS;
}

/** Offset of London local time from UTC at instant `utcMs`, in milliseconds (0 or 1 h). */
export function londonOffsetMs(utcMs: number): number {
  const year = new Date(utcMs).getUTCFullYear();
  return utcMs >= bstStartUtc(year) && utcMs < bstEndUtc(year) ? HOUR_MS : 0;
}

/** Parses `YYYY-MM-DD` strictly. */
export function parseLocalDate(date: LocalDate): { year: number; month: number; day: number } {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!match) throw new TypeError(`local date: expected YYYY-MM-DD, got ${JSON.stringify(date)}`);
  const year = Number(match[1]);
  const month = Number(match[2]);
  const day = Number(match[3]);
  const check = new Date(Date.UTC(year, month - 1, day));
  if (check.getUTCFullYear() !== year || check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day) {
    throw new RangeError(`local date: ${date} is not a calendar date`);
  }
  return { year, month, day };
}

/** UTC instant of local midnight starting `date` in London. */
export function londonMidnightUtc(date: LocalDate): number {
  const { year, month, day } = parseLocalDate(date);
  const naive = Date.UTC(year, month - 1, day);
  // Midnight is never inside a GB transition (they happen at 01:00/02:00 local), so the offset at
  // naive-minus-one-hour is the offset in force at local midnight.
  return naive - londonOffsetMs(naive - HOUR_MS);
}

/** One London local day: where it starts and how many settlement periods it has. */
export interface LocalDay {
  date: LocalDate;
  startUtc: number;
  endUtc: number;
  /** 46 on the spring clock change, 50 on the autumn one, 48 otherwise. */
  halfHours: number;
  /** 0 = Sunday … 6 = Saturday. */
  weekday: number;
}

/**
 * Days already described, by date. Every meter asks about the same few hundred dates, and in the
 * meter host's locked-down realm SES's tamed `Date` makes each description costly.
 */
const days = new BoundedCache<Readonly<LocalDay>>(4096);
/** Dates `n` days after a date, by `date|n`. */
const shifted = new BoundedCache<LocalDate>(8192);

/** Describes a London local day (the same frozen object for the same date). */
export function londonDay(date: LocalDate): LocalDay {
  if (typeof date !== 'string') throw new TypeError(`local date: expected YYYY-MM-DD, got ${JSON.stringify(date)}`);
  return days.get(date, () => Object.freeze(describeDay(date)));
}

function describeDay(date: LocalDate): LocalDay {
  const startUtc = londonMidnightUtc(date);
  const endUtc = londonMidnightUtc(addDays(date, 1));
  const { year, month, day } = parseLocalDate(date);
  return {
    date,
    startUtc,
    endUtc,
    halfHours: Math.round((endUtc - startUtc) / HALF_HOUR_MS),
    weekday: new Date(Date.UTC(year, month - 1, day)).getUTCDay(),
  };
}

/** The London local date containing instant `utcMs`. */
export function londonDateOf(utcMs: number): LocalDate {
  return new Date(utcMs + londonOffsetMs(utcMs)).toISOString().slice(0, 10);
}

/** Local time of day at `utcMs` in minutes after local midnight (0..1439). */
export function londonMinuteOfDay(utcMs: number): number {
  const local = utcMs + londonOffsetMs(utcMs);
  return Math.floor((((local % DAY_MS) + DAY_MS) % DAY_MS) / 60_000);
}

/** `date` plus `n` calendar days. */
export function addDays(date: LocalDate, n: number): LocalDate {
  if (typeof date !== 'string' || !Number.isInteger(n)) return shift(date, n);
  return shifted.get(`${date}|${n}`, () => shift(date, n));
}

function shift(date: LocalDate, n: number): LocalDate {
  const { year, month, day } = parseLocalDate(date);
  return new Date(Date.UTC(year, month - 1, day + n)).toISOString().slice(0, 10);
}

/** First day of the month after `date`'s month. */
export function nextMonthStart(date: LocalDate): LocalDate {
  const { year, month } = parseLocalDate(date);
  return new Date(Date.UTC(year, month, 1)).toISOString().slice(0, 10);
}

/** `YYYY-MM` of a local date. */
export function monthOf(date: LocalDate): string {
  return date.slice(0, 7);
}

/** Every local date from `from` (inclusive) to `to` (exclusive). */
export function datesBetween(from: LocalDate, to: LocalDate): LocalDate[] {
  const out: LocalDate[] = [];
  for (let d = from; d < to; d = addDays(d, 1)) out.push(d);
  return out;
}
