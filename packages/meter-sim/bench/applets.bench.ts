/**
 * Benchmark: homes × simulated days per second with every applet active (billing with a tariff,
 * power-quality, load-control, aggregation with its feeder peers, telecare with consent, insights),
 * each in its own SES compartment, fed by the household model — the meter side of a headless run,
 * without the relay. Also the heap per home (run with --expose-gc for that figure).
 *
 *   npx tsx --expose-gc packages/meter-sim/bench/applets.bench.ts [homes=200] [days=60]
 *
 * Feeder peers get random 32-byte pair secrets here (the same size as the ECDH x-coordinates a
 * real deployment personalises); the cost per period is the same KDF.
 */
import { randomBytes } from 'node:crypto';
import { bytesToHex } from '@hydra/globalplatform';
import { addDays, londonDay } from '../src/calendar';
import { createHomeProfile, simulateHomeDay, type HomeProfile } from '../src/home/index';
import { loadApplet, metrologyFromHomeDay, testSigner, type AppletName, type LoadedApplet } from '../test/applets/harness';

const homes = Number(process.argv[2] ?? '200');
const days = Number(process.argv[3] ?? '60');
const gc = (globalThis as { gc?: () => void }).gc;
const seed = 'applets-bench';
const householder = testSigner(7);

function heap(): number {
  gc?.();
  return process.memoryUsage().heapUsed;
}

const before = heap();
const profiles: HomeProfile[] = Array.from({ length: homes }, (_, i) => createHomeProfile(seed, i));
const feeders = new Map<string, number[]>();
profiles.forEach((p, i) => feeders.set(p.feederId, [...(feeders.get(p.feederId) ?? []), i]));
const pairSecret = new Map<string, string>();
const secret = (a: number, b: number) => {
  const key = a < b ? `${a}/${b}` : `${b}/${a}`;
  let value = pairSecret.get(key);
  if (!value) {
    value = bytesToHex(new Uint8Array(randomBytes(32)));
    pairSecret.set(key, value);
  }
  return value;
};

const t0 = performance.now();
const meters: Record<AppletName, LoadedApplet>[] = profiles.map((profile, i) => {
  const meterId = `m${i}`;
  const applets = {} as Record<AppletName, LoadedApplet>;
  for (const name of ['billing', 'power-quality', 'load-control', 'aggregation', 'telecare', 'insights'] as const) applets[name] = loadApplet(name, { now: londonDay('2025-01-01').startUtc });
  applets.billing.command('set-tariff', { tariff: { id: 'flat', kind: 'flat', unitRate: 24_500, standingCharge: 60_990 } });
  const peers = (feeders.get(profile.feederId) ?? []).filter((j) => j !== i).map((j) => ({ meterId: `m${j}`, secret: secret(i, j) }));
  applets.aggregation.command('personalise', { feederId: profile.feederId, meterId, peers });
  applets.telecare.command('personalise', { householderKey: householder.publicKeyHex, meterId });
  const consent = { service: 'telecare', meterId, sequence: 1, learningWeeks: 2 };
  applets.telecare.command('consent', { consent, signature: householder.sign(consent) });
  return applets;
});
const loadMs = performance.now() - t0;

let sent = 0;
const t1 = performance.now();
let date = '2025-01-01';
for (let d = 0; d < days; d++) {
  const weekday = londonDay(date).weekday;
  for (let i = 0; i < homes; i++) {
    const profile = profiles[i];
    const applets = meters[i];
    if (!profile || !applets) continue;
    const feed = metrologyFromHomeDay(simulateHomeDay(profile, date), weekday);
    for (const applet of Object.values(applets)) {
      applet.clock.now = feed.startUtc + 86_400_000;
      applet.feed(feed);
      sent += applet.drain().length;
    }
  }
  date = addDays(date, 1);
}
const runMs = performance.now() - t1;
const after = heap();
const homeDays = homes * days;
console.log(`every applet active: ${homes} homes × ${days} days = ${homeDays.toLocaleString('en-GB')} home-days`);
console.log(`  load (6 compartments per home, personalised): ${(loadMs / homes).toFixed(2)} ms per home`);
console.log(`  home-days/s:   ${Math.round(homeDays / (runMs / 1000)).toLocaleString('en-GB')} (one thread), ${((runMs * 1000) / homeDays).toFixed(0)} µs per home-day`);
console.log(`  1,000 homes × 1 year on 2 cores: ≈ ${((365_000 * (runMs / homeDays)) / 2 / 1000).toFixed(0)} s`);
console.log(`  outbox items produced: ${sent.toLocaleString('en-GB')}`);
console.log(gc ? `  heap per home: ${((after - before) / homes / 1024).toFixed(1)} KiB` : '  heap per home: run with --expose-gc');
