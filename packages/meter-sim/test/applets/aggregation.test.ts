// Aggregation applet: keys generated on the card, a feeder roster signed by the DNO, masked shares
// whose feeder sum is the feeder load to the Wh, while one share alone is uniform and uncorrelated
// with the home's own import.
import { p256 } from '@noble/curves/nist.js';
import { describe, expect, it } from 'vitest';
import { datesBetween, londonDay } from '../../src/calendar';
import { recoverFeederTotals } from '../../src/aggregation/recover-feeder';
import { createHomeProfile, simulateHomeDay, type HomeProfile } from '../../src/home/index';
import { aggregationFeeder, loadApplet, metrologyDay, metrologyFromHomeDay, testSigner, type LoadedApplet } from './harness';

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

const dno = testSigner(41);

/** A feeder set up as the DNO does it (public keys from the cards, a signed roster). */
function setUpFeeder(meterIds: string[], feederId: string): LoadedApplet[] {
  return aggregationFeeder(meterIds, feederId, dno);
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
    expect(meters[0]!.responses.find((r) => r.command === 'roster')!.response.body.reason).toMatch(/fewer than 5/);
    for (const m of meters) m.feed(metrologyDay('2025-01-15', { importWh: 100 }));
    expect(meters.flatMap((m) => m.sent)).toEqual([]);
  });

  it('generates its key pair on the card: distinct per meter, stable, and only the public half ever leaves', () => {
    const a = loadApplet('aggregation');
    const b = loadApplet('aggregation');
    const first = a.command('public-key', {});
    expect(first.status).toBe(0x9000);
    expect(Object.keys(first.body).sort()).toEqual(['publicKey', 'reason', 'result']);
    const key = String(first.body.publicKey);
    expect(key).toMatch(/^0[23][0-9a-f]{64}$/);
    expect(a.command('public-key', {}).body.publicKey).toBe(key);
    expect(b.command('public-key', {}).body.publicKey).not.toBe(key);
    const privateKey = String(a.storage.get('privateKey'));
    expect(p256.getPublicKey(Buffer.from(privateKey, 'hex'), true)).toEqual(Uint8Array.from(Buffer.from(key, 'hex')));
    for (const { response } of a.responses) expect(JSON.stringify(response)).not.toContain(privateKey);
  });

  it('takes a roster only when signed by the personalised DNO key, newer than the last, and naming this meter with its own key', () => {
    const ids = ['m1', 'm2', 'm3', 'm4', 'm5'];
    const meters = ids.map((meterId) => {
      const applet = loadApplet('aggregation');
      applet.command('personalise', { meterId, dnoKey: dno.publicKeyHex });
      return applet;
    });
    const members = meters.map((m, i) => ({ meterId: ids[i]!, publicKey: String(m.command('public-key', {}).body.publicKey) }));
    const roster = { feederId: 'f9', sequence: 2, members };
    const target = meters[0]!;
    const refusals: [unknown, number, RegExp][] = [
      [{ roster }, 0x6982, /signature/],
      [{ roster, signature: testSigner(42).sign(roster) }, 0x6982, /signature/],
      [{ roster: { ...roster, feederId: 'other' }, signature: dno.sign(roster) }, 0x6982, /signature/],
      [{ roster: { ...roster, members: members.slice(1) }, signature: dno.sign({ ...roster, members: members.slice(1) }) }, 0x6985, /not a member/],
      [{ roster: { ...roster, members: [{ meterId: 'm1', publicKey: members[1]!.publicKey }, ...members.slice(1, 4), { meterId: 'm5', publicKey: members[0]!.publicKey }] } }, 0x6982, /signature/],
      [{ roster: { ...roster, members: [...members, members[0]!] } }, 0x6a80, /twice/],
    ];
    const swapped = { ...roster, members: [{ meterId: 'm1', publicKey: members[1]!.publicKey }, ...members.slice(1)] };
    refusals.push([{ roster: swapped, signature: dno.sign(swapped) }, 0x6985, /another key/]);
    for (const [body, status, reason] of refusals) {
      const answer = target.command('roster', body as never);
      expect(answer.status).toBe(status);
      expect(String(answer.body.reason)).toMatch(reason);
      expect(target.storage.has('membership')).toBe(false);
    }
    expect(target.command('roster', { roster, signature: dno.sign(roster) }).status).toBe(0x9000);
    const membership = target.storage.get('membership') as { peers: { meterId: string }[] };
    expect(membership.peers.map((p) => p.meterId)).toEqual(['m2', 'm3', 'm4', 'm5']);
    // The same roster again, or an older one, is a replay.
    expect(target.command('roster', { roster, signature: dno.sign(roster) }).body.reason).toMatch(/replayed/);
    const older = { ...roster, sequence: 1 };
    expect(target.command('roster', { roster: older, signature: dno.sign(older) }).status).toBe(0x6982);
    // The DNO key is write-once: a second one cannot be slipped in.
    expect(target.command('personalise', { dnoKey: testSigner(42).publicKeyHex }).status).toBe(0x6985);
  });

  it('refuses a roster before it is personalised or has a key, and sends nothing', () => {
    const applet = loadApplet('aggregation');
    const roster = { feederId: 'f', sequence: 1, members: [{ meterId: 'a', publicKey: dno.publicKeyHex }] };
    expect(applet.command('roster', { roster, signature: dno.sign(roster) }).status).toBe(0x6985);
    applet.command('personalise', { meterId: 'a', dnoKey: dno.publicKeyHex });
    expect(applet.command('roster', { roster, signature: dno.sign(roster) }).body.reason).toMatch(/public key first/);
    expect(applet.command('personalise', { meterId: 42 }).status).toBe(0x6a80);
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
