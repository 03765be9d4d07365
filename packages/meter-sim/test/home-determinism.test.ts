import { describe, expect, it } from 'vitest';
import { createHomeProfile, simulateHomeDay } from '../src/home/index';
import type { HomeDay, HomeProfile } from '../src/home/index';

const SEED = 'determinism-world';

/** Everything in a HomeDay as plain JSON (typed arrays as arrays) for deep comparison. */
function plain(day: HomeDay): unknown {
  return JSON.parse(JSON.stringify(day, (_k, v: unknown) => (ArrayBuffer.isView(v) ? Array.from(v as unknown as ArrayLike<number>) : v)));
}

function deepFreeze<T>(o: T): T {
  if (o && typeof o === 'object') {
    Object.freeze(o);
    for (const v of Object.values(o)) deepFreeze(v);
  }
  return o;
}

describe('home profiles are deterministic', () => {
  it('gives the same profile for the same (seed, index) and a different one for another seed', () => {
    const a = createHomeProfile(SEED, 42);
    const b = createHomeProfile(SEED, 42);
    expect(b).toEqual(a);
    const other = createHomeProfile('other', 42);
    expect(other.usageScale).not.toBe(a.usageScale);
    expect(other.supply).not.toEqual(a.supply);
  });

  it('groups consecutive homes into feeders of 8–30 (or exactly feederSize)', () => {
    const sizes = new Map<string, number>();
    for (let i = 0; i < 600; i++) {
      const id = createHomeProfile(SEED, i).feederId;
      sizes.set(id, (sizes.get(id) ?? 0) + 1);
    }
    const full = [...sizes.values()].slice(0, -1); // the last feeder may continue past home 599
    expect(full.length).toBeGreaterThan(15);
    for (const n of full) {
      expect(n).toBeGreaterThanOrEqual(8);
      expect(n).toBeLessThanOrEqual(30);
    }
    // Random access agrees with sequential access.
    expect(createHomeProfile(SEED, 599).feederId).toBe(createHomeProfile(SEED, 599).feederId);
    expect(createHomeProfile(SEED, 23, { feederSize: 10 }).feederId).toBe(createHomeProfile(SEED, 29, { feederSize: 10 }).feederId);
    expect(createHomeProfile(SEED, 29, { feederSize: 10 }).feederId).not.toBe(createHomeProfile(SEED, 30, { feederSize: 10 }).feederId);
  });

  it('homes on one feeder share its region', () => {
    const byFeeder = new Map<string, Set<string>>();
    for (let i = 0; i < 200; i++) {
      const p = createHomeProfile(SEED, i);
      byFeeder.set(p.feederId, (byFeeder.get(p.feederId) ?? new Set()).add(p.region));
    }
    for (const regions of byFeeder.values()) expect(regions.size).toBe(1);
  });

  it('rejects malformed arguments with a message naming the field', () => {
    expect(() => createHomeProfile('', 1)).toThrow(/worldSeed/);
    expect(() => createHomeProfile(SEED, 1.5)).toThrow(TypeError);
    expect(() => createHomeProfile(SEED, -1)).toThrow(RangeError);
    expect(() => createHomeProfile(SEED, 1, { feederSize: 0 })).toThrow(/feederSize/);
    const p = createHomeProfile(SEED, 1);
    expect(() => simulateHomeDay(p, '2025-02-30')).toThrow(RangeError);
    expect(() => simulateHomeDay(p, '15/01/2025')).toThrow(TypeError);
    expect(() => simulateHomeDay(p, '2025-01-15', { controls: [{ device: 'ev', fromUtc: 10, toUtc: 5, limitKw: 0 }] })).toThrow(/toUtc/);
    expect(() => simulateHomeDay({} as HomeProfile, '2025-01-15')).toThrow(TypeError);
  });
});

describe('simulated days are pure and deterministic', () => {
  const profiles = Array.from({ length: 40 }, (_, i) => deepFreeze(createHomeProfile(SEED, i)));
  const dates = ['2025-01-15', '2025-03-30', '2025-06-21', '2025-10-26', '2025-12-25'];

  it('returns identical output for identical input, whatever was simulated before', () => {
    const first = profiles.map((p) => dates.map((d) => plain(simulateHomeDay(p, d))));
    // Different order (day-major, reversed) and with other worlds in between to churn the caches.
    for (let i = 0; i < 10; i++) simulateHomeDay(createHomeProfile(`churn-${i}`, i), `2024-11-0${(i % 9) + 1}`);
    for (let d = dates.length - 1; d >= 0; d--) {
      for (let h = profiles.length - 1; h >= 0; h--) {
        expect(plain(simulateHomeDay(profiles[h]!, dates[d]!))).toEqual(first[h]![d]);
      }
    }
  });

  it('a different world seed gives different readings', () => {
    let differing = 0;
    for (let i = 0; i < 10; i++) {
      const a = simulateHomeDay(createHomeProfile('seed-a', i), '2025-01-15');
      const b = simulateHomeDay(createHomeProfile('seed-b', i), '2025-01-15');
      if (JSON.stringify(Array.from(a.importWh)) !== JSON.stringify(Array.from(b.importWh))) differing++;
    }
    expect(differing).toBe(10);
  });

  it('minute detail adds minute arrays without changing the half-hourly output', () => {
    for (const p of profiles.slice(0, 10)) {
      const half = simulateHomeDay(p, '2025-01-15');
      const { minute, ...rest } = simulateHomeDay(p, '2025-01-15', { detail: 'minute' });
      expect(half.minute).toBeUndefined();
      expect(minute?.importW.length).toBe(1440);
      expect(minute?.voltage.length).toBe(1440);
      expect(plain(rest as HomeDay)).toEqual(plain(half));
    }
  });

  it('does not mutate its inputs (frozen profile and options are accepted)', () => {
    const options = deepFreeze({
      controls: [{ device: 'ev' as const, fromUtc: Date.UTC(2025, 0, 15, 17), toUtc: Date.UTC(2025, 0, 15, 20), limitKw: 0 }],
      incidents: [{ kind: 'disturbed-night' as const, date: '2025-01-15' }],
    });
    expect(() => simulateHomeDay(profiles[0]!, '2025-01-15', options)).not.toThrow();
  });
});
