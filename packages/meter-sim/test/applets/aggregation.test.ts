// Aggregation applet: masked shares whose feeder sum is the feeder load to the Wh, while one
// share alone is uniform and uncorrelated with the home's own import.
import { p256 } from '@noble/curves/nist.js';
import { bytesToHex, generateKeyPair } from '@hydra/globalplatform';
import { describe, expect, it } from 'vitest';
import { datesBetween, londonDay } from '../../src/calendar';
import { recoverFeederTotals } from '../../src/aggregation/recover-feeder';
import { createHomeProfile, simulateHomeDay, type HomeProfile } from '../../src/home/index';
import { loadApplet, metrologyDay, metrologyFromHomeDay, type LoadedApplet } from './harness';

const SEED = 'agg-world';

/** Homes sharing one feeder. */
function feederHomes(count: number): HomeProfile[] {
  const profiles = Array.from({ length: 600 }, (_, i) => createHomeProfile(SEED, i));
  const byFeeder = new Map<string, HomeProfile[]>();
  for (const p of profiles) byFeeder.set(p.feederId, [...(byFeeder.get(p.feederId) ?? []), p]);
  const feeder = [...byFeeder.values()].find((homes) => homes.length >= count);
  if (!feeder) throw new Error(`no feeder with ${count} homes`);
  return feeder.slice(0, count);
}

/** Meters with one ECDH secret per pair (each meter's own key pair; x-coordinate of the shared point). */
function setUpFeeder(meterIds: string[], feederId: string): LoadedApplet[] {
  let counter = 1;
  const random = (n: number) => new Uint8Array(n).map((_, i) => (counter * 31 + i * 7) & 0xff);
  const keys = meterIds.map(() => {
    counter++;
    return generateKeyPair(random);
  });
  return meterIds.map((meterId, i) => {
    const applet = loadApplet('aggregation');
    const peers = meterIds.flatMap((peerId, j) =>
      j === i ? [] : [{ meterId: peerId, secret: bytesToHex(p256.getSharedSecret(keys[i]!.privateKey, keys[j]!.publicKey).slice(1)) }],
    );
    expect(applet.command('personalise', { feederId, meterId, peers }).body.result).toBe('applied');
    return applet;
  });
}

describe('aggregation: feeder sums', () => {
  it('the DNO recovers the feeder\'s import per half hour to the Wh, clock-change days included', () => {
    const homes = feederHomes(8);
    const ids = homes.map((h) => `meter-${h.index}`);
    const meters = setUpFeeder(ids, homes[0]!.feederId);
    for (const date of ['2025-01-15', '2025-03-30', '2025-07-01', '2025-10-26']) {
      const days = homes.map((h) => simulateHomeDay(h, date));
      meters.forEach((m, k) => m.feed(metrologyFromHomeDay(days[k]!, londonDay(date).weekday)));
      const shares = new Map(meters.map((m, k) => {
        const [item] = m.drain();
        expect(item?.messageClass).toBe('feeder-shares');
        expect(Object.keys(item!.body).sort()).toEqual(['date', 'feederId', 'shares']);
        return [ids[k]!, item!.body.shares as number[]] as const;
      }));
      const truth = Array.from({ length: days[0]!.halfHours }, (_, t) => days.reduce((s, d) => s + d.importWh[t]!, 0));
      expect(recoverFeederTotals(shares, ids)).toEqual(truth);
      // One meter silent: every period incomplete, none wrong.
      shares.delete(ids[3]!);
      expect(recoverFeederTotals(shares, ids).every((t) => t === 'incomplete')).toBe(true);
    }
  });

  it('a feeder of fewer than 5 meters reports nothing', () => {
    const meters = setUpFeeder(['a', 'b', 'c', 'd'], 'tiny');
    expect(meters[0]!.responses[0]!.response.body.reason).toMatch(/fewer than 5/);
    for (const m of meters) m.feed(metrologyDay('2025-01-15', { importWh: 100 }));
    expect(meters.flatMap((m) => m.sent)).toEqual([]);
  });

  it('refuses a malformed membership', () => {
    const applet = loadApplet('aggregation');
    expect(applet.command('personalise', { feederId: 'f', meterId: 'a', peers: [{ meterId: 'a', secret: 'ab'.repeat(32) }] }).status).toBe(0x6a80);
    expect(applet.command('personalise', { feederId: 'f', meterId: 'a', peers: [{ meterId: 'b', secret: 'short' }] }).status).toBe(0x6a80);
    applet.feed(metrologyDay('2025-01-15', { importWh: 100 }));
    expect(applet.sent).toEqual([]);
  });
});

describe('aggregation: a single share says nothing about the home', () => {
  it('is uncorrelated with the home\'s import and uniform on [0, 2^32) over 60 days', () => {
    const homes = feederHomes(6);
    const ids = homes.map((h) => `meter-${h.index}`);
    const meters = setUpFeeder(ids, homes[0]!.feederId);
    const own: number[] = [];
    const share: number[] = [];
    for (const date of datesBetween('2025-01-01', '2025-03-02')) {
      const day = simulateHomeDay(homes[0]!, date);
      meters[0]!.feed(metrologyFromHomeDay(day, londonDay(date).weekday));
      own.push(...day.importWh);
      share.push(...(meters[0]!.drain()[0]!.body.shares as number[]));
    }
    const n = own.length;
    const mean = (a: number[]) => a.reduce((s, x) => s + x, 0) / a.length;
    const mo = mean(own);
    const ms = mean(share);
    let cov = 0;
    let vo = 0;
    let vs = 0;
    for (let k = 0; k < n; k++) {
      cov += (own[k]! - mo) * (share[k]! - ms);
      vo += (own[k]! - mo) ** 2;
      vs += (share[k]! - ms) ** 2;
    }
    const r = cov / Math.sqrt(vo * vs);
    // Under independence r ~ N(0, 1/n); n ≈ 2,900, so 4σ ≈ 0.074.
    expect(Math.abs(r)).toBeLessThan(4 / Math.sqrt(n));
    // The home's own import is strongly structured (so the test could fail): the raw values correlate with themselves shifted a half hour.
    let auto = 0;
    for (let k = 1; k < n; k++) auto += (own[k]! - mo) * (own[k - 1]! - mo);
    expect(auto / vo).toBeGreaterThan(0.3);
    // Uniformity: 16 equal buckets, χ² with 15 degrees of freedom below its 0.1 % critical value (37.7).
    const buckets = new Array<number>(16).fill(0);
    for (const s of share) buckets[Math.floor(s / 2 ** 28)]!++;
    const expected = n / 16;
    const chi2 = buckets.reduce((acc, b) => acc + (b - expected) ** 2 / expected, 0);
    expect(chi2).toBeLessThan(37.7);
  });
});
