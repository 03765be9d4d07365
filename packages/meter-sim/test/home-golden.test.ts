/**
 * The household model's exact output, pinned: a SHA-256 over every field of every HomeDay of a
 * small fixed set (numbers by their Float64 bytes, typed arrays by type and bytes, keys in order),
 * taken from the model before its speed work. Speed changes must leave it unchanged — a world's
 * seed fixes its readings. A deliberate change to the model updates the expected digest (and says
 * so in its commit). The set spans both 2025 clock changes, minute detail, load-control windows
 * and both incident kinds; `bench/home-fingerprint.ts` runs the same check at scale.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { addDays, londonDay } from '../src/calendar';
import { createHomeProfile, simulateHomeDay } from '../src/home/index';
import type { HomeProfile, SimulateOptions } from '../src/home/index';
import { sortByMinute } from '../src/home/appliances';
import type { ActivityEvent } from '../src/home/index';
import { forkPrng } from '../src/prng';
import { feed } from './home-digest';

/** Dates around both 2025 clock changes and the turn of the year, plus a summer week. */
const DATES = [
  ...Array.from({ length: 4 }, (_, k) => addDays('2025-03-29', k)),
  ...Array.from({ length: 4 }, (_, k) => addDays('2025-10-25', k)),
  ...Array.from({ length: 3 }, (_, k) => addDays('2025-12-31', k)),
  ...Array.from({ length: 7 }, (_, k) => addDays('2025-07-14', k)),
];

function options(p: HomeProfile, date: string, k: number): SimulateOptions {
  const { startUtc } = londonDay(date);
  if (k % 3 === 0) return {};
  return {
    detail: k % 3 === 1 ? 'minute' : 'half-hour',
    controls: [
      { device: 'heat-pump', fromUtc: startUtc + 17 * 3_600_000, toUtc: startUtc + 19 * 3_600_000 + 900_000, limitKw: (k % 4) * 0.5 },
      { device: 'ev', fromUtc: startUtc - 2 * 3_600_000, toUtc: startUtc + 2 * 3_600_000 + 420_000, limitKw: 3.5 },
    ],
    incidents: (p.index + k) % 4 === 0 ? [{ kind: 'disturbed-night', date }] : (p.index + k) % 7 === 0 ? [{ kind: 'no-activity-day', date }] : [],
  };
}

describe('household model output is pinned', () => {
  it('every field of every day of 24 homes × 18 dates matches the digest taken before the speed work', () => {
    const hash = createHash('sha256');
    for (let i = 0; i < 24; i++) {
      // One home per feeder: more feeders, more voltage events and outages.
      const p = createHomeProfile('golden-world', i, { feederSize: i % 2 === 0 ? 1 : 6 });
      DATES.forEach((date, k) => feed(hash, simulateHomeDay(p, date, options(p, date, k))));
    }
    expect(hash.digest('hex')).toBe('b8d95ac2e4bdbd6a35e7a4cea068b3a43bbe01a1f29824865b1149244042c6f7');
  });
});

describe('simulated days share slabs without overlapping', () => {
  it('a kept day reads the same after many more days (half-hour and minute detail) have been simulated', () => {
    const digest = (day: unknown): string => {
      const hash = createHash('sha256');
      feed(hash, day);
      return hash.digest('hex');
    };
    const p = createHomeProfile('golden-world', 3);
    const kept = DATES.map((date, k) => simulateHomeDay(p, date, options(p, date, k)));
    const when = kept.map(digest);
    for (let k = 0; k < 40; k++) simulateHomeDay(p, addDays('2025-05-01', k), { detail: k % 2 === 0 ? 'minute' : 'half-hour' });
    expect(kept.map(digest)).toEqual(when);
  });
});

describe('sortByMinute', () => {
  it('orders as a stable sort by minute does (equal minutes keep their order)', () => {
    const prng = forkPrng('golden-world', 'sort');
    for (let round = 0; round < 300; round++) {
      const events: ActivityEvent[] = Array.from({ length: prng.int(0, 40) }, (_, k) => ({
        minute: prng.int(0, 30),
        appliance: 'kettle',
        watts: k,
        durationMinutes: 1,
      }));
      const expected = [...events].sort((a, b) => a.minute - b.minute);
      expect(sortByMinute(events)).toEqual(expected);
      expect(sortByMinute(events).map((e) => e.watts)).toEqual(expected.map((e) => e.watts));
    }
  });
});
