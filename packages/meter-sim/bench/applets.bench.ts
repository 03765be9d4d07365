/**
 * Benchmark: homes × simulated days per second with every applet active (billing with a tariff,
 * power-quality, load-control, aggregation with its feeder peers, telecare with consent, insights),
 * each in its own SES compartment, fed by the household model — the meter side of a headless run,
 * without the relay. Also the heap per home (run with --expose-gc for that figure).
 *
 *   npx tsx --expose-gc packages/meter-sim/bench/applets.bench.ts [homes=200] [days=60]
 *
 * Each feeder is set up as the DNO does it: key pairs generated on the cards, a signed roster, one
 * ECDH per pair of meters (that set-up is part of the load time).
 */
import { addDays, londonDay } from '../src/calendar';
import { createHomeProfile, simulateHomeDay, type HomeProfile } from '../src/home/index';
import { aggregationFeeder, loadApplet, metrologyFromHomeDay, testSigner, type AppletName, type LoadedApplet } from '../test/applets/harness';

const homes = Number(process.argv[2] ?? '200');
const days = Number(process.argv[3] ?? '60');
const gc = (globalThis as { gc?: () => void }).gc;
const seed = 'applets-bench';
const householder = testSigner(7);
const dno = testSigner(8);

function heap(): number {
  gc?.();
  return process.memoryUsage().heapUsed;
}

const before = heap();
const profiles: HomeProfile[] = Array.from({ length: homes }, (_, i) => createHomeProfile(seed, i));
const feeders = new Map<string, number[]>();
profiles.forEach((p, i) => feeders.set(p.feederId, [...(feeders.get(p.feederId) ?? []), i]));
const t0 = performance.now();
const aggregation = new Map<number, LoadedApplet>();
for (const [feederId, members] of feeders) {
  aggregationFeeder(members.map((i) => `m${i}`), feederId, dno).forEach((applet, k) => aggregation.set(members[k] ?? -1, applet));
}
const meters: Record<AppletName, LoadedApplet>[] = profiles.map((_profile, i) => {
  const meterId = `m${i}`;
  const applets = {} as Record<AppletName, LoadedApplet>;
  for (const name of ['billing', 'power-quality', 'load-control', 'telecare', 'insights'] as const) applets[name] = loadApplet(name, { now: londonDay('2025-01-01').startUtc });
  const feederApplet = aggregation.get(i);
  if (!feederApplet) throw new Error(`home ${i}: no aggregation applet`);
  applets.aggregation = feederApplet;
  applets.billing.command('set-tariff', { tariff: { id: 'flat', kind: 'flat', unitRate: 24_500, standingCharge: 60_990 } });
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
