/**
 * Benchmark: homes × simulated days per second with every applet active on real meter cores — the
 * meter side of a headless run without the relay: `MeterFleet` manufactures each meter (DAP-checked
 * LOAD / INSTALL of the factory applets), the supplier's tariff arrives over its SCP11b channel, the
 * DNO personalises aggregation and sends each feeder's signed roster (one ECDH per pair on the
 * cards), the householder consents to telecare, and then `fleet.advanceTo` feeds the household
 * model's days to every applet. Also the heap per home (run with --expose-gc for that figure).
 *
 *   npx tsx --expose-gc packages/meter-sim/bench/applets.bench.ts [homes=100] [days=30] [--profile] [--noble] [--threads=N]
 *
 * `--profile` also prints where the time of a day goes (per applet, the household model, the
 * secure element around them), measured on the same fleet after the timed run.
 * `--threads=N` runs the homes on N worker threads at once, as `hydra run --workers N` runs its
 * meters (whole feeders to a thread, so every roster is the feeder's), and times the run by the
 * wall clock from the moment every thread has its meters set up until the last one finishes.
 */
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { addDays, nextMonthStart } from '../src/calendar';
import { createHomeProfile, simulateHomeDay } from '../src/home/index';
import { AppletInstances } from '../src/secure-element/applet-instances';
import { SecureElement } from '../src/secure-element/secure-element';
import { createMemoryStateStore, MeterFleet } from '../src/host/fleet';
import { signHouseholderDocument } from '../src/meter/householder';
import { compile, secureRandom as random } from '../test/secure-element/fixture';
import { CA, CATALOG, certify, partySigner, PartyHost } from '../test/meter/party-host';
import { nodeCryptoPrimitives } from '../node/index';

const args = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const homes = Number(args[0] ?? '100');
const days = Number(args[1] ?? '30');
const threads = Number(process.argv.find((a) => a.startsWith('--threads='))?.slice('--threads='.length) ?? '1');
const start = '2025-01-01';
const seed = 'applets-bench';

interface ThreadResult {
  homes: number;
  homeDays: number;
  manufactureMs: number;
  setUpMs: number;
  runStart: number;
  runEnd: number;
  /** Wall-clock time in meter days (the household model and every applet). */
  dayMs: number;
  /** Wall-clock time in the monthly collects (both sides). */
  collectMs: number;
  cpuMs: number;
}

if (isMainThread && threads > 1) {
  // Whole feeders to a thread: split the homes at the feeder boundaries nearest the even shares.
  const feederOf = Array.from({ length: homes }, (_, i) => createHomeProfile(seed, i).feederId);
  const cuts: number[] = [0];
  for (let t = 1; t < threads; t++) {
    const even = Math.round((t * homes) / threads);
    const isBoundary = (i: number) => i <= 0 || i >= homes || feederOf[i] !== feederOf[i - 1];
    let cut = even;
    for (let d = 0; d < homes; d++) {
      if (isBoundary(even - d)) {
        cut = even - d;
        break;
      }
      if (isBoundary(even + d)) {
        cut = even + d;
        break;
      }
    }
    cuts.push(Math.max(cut, cuts[cuts.length - 1] ?? 0));
  }
  cuts.push(homes);
  const workers = Array.from({ length: threads }, (_, t) => {
    const homeIndices = Array.from({ length: (cuts[t + 1] ?? homes) - (cuts[t] ?? 0) }, (_, i) => (cuts[t] ?? 0) + i);
    // Run as TypeScript through tsx, a thread starts from a small entry that registers tsx first.
    const entry = import.meta.url.endsWith('.ts') ? new URL('./applets-thread.mjs', import.meta.url) : new URL(import.meta.url);
    return new Worker(entry, { workerData: { homeIndices, days } });
  });
  // Every thread sets its meters up, then all run at once.
  await Promise.all(workers.map((worker) => new Promise<void>((resolve, reject) => {
    worker.once('error', reject);
    worker.once('message', () => resolve());
  })));
  const cpuBefore = process.cpuUsage(); // the whole process: every thread
  const results = await Promise.all(
    workers.map(
      (worker) =>
        new Promise<ThreadResult>((resolve, reject) => {
          worker.once('error', reject);
          worker.once('message', (result: ThreadResult) => resolve(result));
          worker.postMessage('go');
        }),
    ),
  );
  const cpuRun = process.cpuUsage(cpuBefore);
  await Promise.all(workers.map((worker) => worker.terminate()));
  const homeDays = results.reduce((sum, r) => sum + r.homeDays, 0);
  const wallMs = Math.max(...results.map((r) => r.runEnd)) - Math.min(...results.map((r) => r.runStart));
  const setUpWallMs = Math.max(...results.map((r) => r.manufactureMs + r.setUpMs));
  console.log(`every applet active on meter cores, ${threads} threads (homes per thread: ${results.map((r) => r.homes).join(', ')}): ${homes} homes × ${days} days = ${homeDays.toLocaleString('en-GB')} home-days`);
  console.log(`  manufacture and set-up (all threads at once): ${(setUpWallMs / 1000).toFixed(1)} s by the wall clock (${(setUpWallMs / (homes / threads)).toFixed(0)} ms per home per thread)`);
  const dayWallMs = Math.max(...results.map((r) => r.dayMs));
  const collectWallMs = Math.max(...results.map((r) => r.collectMs));
  console.log(`  meter days: ${(dayWallMs / 1000).toFixed(1)} s by the wall clock (the slowest thread) → ${Math.round(homeDays / (dayWallMs / 1000)).toLocaleString('en-GB')} home-days/s; monthly collects ${(collectWallMs / 1000).toFixed(1)} s; the whole run ${(wallMs / 1000).toFixed(1)} s, CPU ${((cpuRun.user + cpuRun.system) / homeDays).toFixed(0)} µs per home-day (all threads, their collectors and compilers)`);
  console.log(`  1,000 homes × 1 year of meter days at this rate: ≈ ${(((365_000 / homeDays) * dayWallMs) / 1000).toFixed(1)} s by the wall clock`);
  process.exit(0);
}

const worker = !isMainThread;
const homeIndices: number[] = worker ? (workerData as { homeIndices: number[] }).homeIndices : Array.from({ length: homes }, (_, i) => i);
const runDays: number = worker ? (workerData as { days: number }).days : days;
const profile = !worker && process.argv.includes('--profile');
// As the CLI's worker threads run: node:crypto's ECDH behind the applets' crypto capability (the
// rosters' set-up). `--noble` measures noble alone (what a browser tab runs).
const primitives = process.argv.includes('--noble') ? undefined : nodeCryptoPrimitives();
const gc = (globalThis as { gc?: () => void }).gc;

function heap(): number {
  gc?.();
  return process.memoryUsage().heapUsed;
}

const before = heap();
const t0 = performance.now();
const fleet = await MeterFleet.open({ worldId: 'bench', seed, startDate: start, homeIndices, catalog: CATALOG, ca: CA, compile, random, store: createMemoryStateStore(), ...(primitives ? { primitives } : {}) });
const tManufactured = performance.now();
const dno = partySigner();
const byFeeder = new Map<string, { host: PartyHost; meterId: string; publicKey: string }[]>();
// Each month's collects, as the parties run them over their channels: which host collects which applet.
const collectors: { host: PartyHost; appletIds: string[] }[] = [];
for (const core of fleet.meters()) {
  certify(core);
  const supplier = new PartyHost(core, 'supplier');
  supplier.command('billing', 'set-tariff', { tariff: { id: 'flat', kind: 'flat', unitRate: 24_500, standingCharge: 60_990 } }, 'set-tariff');
  const host = new PartyHost(core, 'dno');
  host.command('aggregation', 'personalise', { dnoKey: dno.publicKeyHex });
  const publicKey = String(host.command('aggregation', 'public-key').body.publicKey);
  const feederId = fleet.profiles.get(core.state.meterId)?.feederId ?? 'none';
  byFeeder.set(feederId, [...(byFeeder.get(feederId) ?? []), { host, meterId: core.state.meterId, publicKey }]);
  fleet.householder(core.state.meterId)?.consentToTelecare(signHouseholderDocument(core.state, { decision: 'consent', service: 'telecare' }));
  collectors.push({ host: supplier, appletIds: ['billing'] }, { host, appletIds: ['power-quality', 'aggregation'] }, { host: new PartyHost(core, 'telecare'), appletIds: ['telecare'] });
}
for (const [feederId, members] of byFeeder) {
  const roster = { feederId, sequence: 1, members: members.map(({ meterId, publicKey }) => ({ meterId, publicKey })) };
  const signature = dno.sign(roster);
  for (const member of members) member.host.command('aggregation', 'roster', { roster, signature });
}
const setUpMs = performance.now() - t0;

if (worker) {
  // Ready; run when the main thread says every thread is.
  parentPort?.postMessage('ready');
  await new Promise((resolve) => parentPort?.once('message', resolve));
}
const t1 = performance.now();
const cpu1 = process.cpuUsage();
// A month at a time, then every party collects its applets' outboxes over its channel (as a
// headless run's parties do each month), so the outboxes hold at most a month of items. The meter
// days and the collects (both sides of SCP11 and SCP03, mostly the parties' work) are timed apart.
let homeDays = 0;
let collected = 0;
let dayMs = 0;
let collectMs = 0;
const until = addDays(start, runDays);
for (let month = start; month < until; month = nextMonthStart(month)) {
  const end = nextMonthStart(month) < until ? nextMonthStart(month) : until;
  const tDays = performance.now();
  homeDays += fleet.advanceTo(end);
  const tCollect = performance.now();
  for (const { host, appletIds } of collectors) for (const appletId of appletIds) collected += host.collect(appletId).length;
  dayMs += tCollect - tDays;
  collectMs += performance.now() - tCollect;
}
const runMs = performance.now() - t1;
// CPU time of this process: on a machine shared with other work, steadier than the wall clock.
const cpu = process.cpuUsage(cpu1);
const cpuMs = (cpu.user + cpu.system) / 1000;
if (worker) {
  const result: ThreadResult = { homes: homeIndices.length, homeDays, manufactureMs: tManufactured - t0, setUpMs: setUpMs - (tManufactured - t0), runStart: performance.timeOrigin + t1, runEnd: performance.timeOrigin + t1 + runMs, dayMs, collectMs, cpuMs };
  parentPort?.postMessage(result);
  await new Promise(() => undefined); // the main thread ends this thread
}
const after = heap();
let outbox = 0;
for (const core of fleet.meters()) for (const applet of Object.values(core.state.se.registry.applets)) outbox += applet.outbox.length;

console.log(`every applet active on meter cores (${primitives ? 'node:crypto ECDH' : 'noble only'}): ${homes} homes × ${days} days = ${homeDays.toLocaleString('en-GB')} home-days`);
console.log(`  manufacture (6 domains, 5 factory applets, DAP-checked): ${((tManufactured - t0) / homes).toFixed(1)} ms per home`);
console.log(`  set-up (tariff, feeder rosters with ECDH per pair, telecare consent): ${((setUpMs - (tManufactured - t0)) / homes).toFixed(1)} ms per home`);
console.log(`  home-days/s:   ${Math.round(homeDays / (dayMs / 1000)).toLocaleString('en-GB')} (one thread, wall clock), ${((dayMs * 1000) / homeDays).toFixed(0)} µs per home-day`);
console.log(`  monthly collects (both sides of each party's channel): ${((collectMs * 1000) / homeDays).toFixed(0)} µs per home-day; CPU of the whole run ${((cpuMs * 1000) / homeDays).toFixed(0)} µs per home-day`);
console.log(`  1,000 homes × 1 year of meter days on 2 cores, from this thread's rate: ≈ ${((365_000 * (dayMs / homeDays)) / 2 / 1000).toFixed(1)} s by the wall clock (measure it with --threads=2)`);
console.log(`  outbox items collected monthly: ${collected.toLocaleString('en-GB')}; waiting at the end: ${outbox.toLocaleString('en-GB')}`);
console.log(gc ? `  heap per home: ${((after - before) / homes / 1024).toFixed(1)} KiB` : '  heap per home: run with --expose-gc');

if (profile) {
  // Where a day goes: the household model alone, then the same days through the cores.
  const sample = fleet.meters().slice(0, Math.min(50, homes));
  const from = addDays(start, days);
  const until = addDays(from, 10);
  const tModel = performance.now();
  for (const core of sample) {
    const home = fleet.profiles.get(core.state.meterId);
    if (home) for (let d = from; d < until; d = addDays(d, 1)) simulateHomeDay(home, d);
  }
  const modelUs = ((performance.now() - tModel) * 1000) / (sample.length * 10);
  // Each applet's calls timed on the way through the instance cache (this benchmark only).
  const perApplet = new Map<string, number>();
  const run = AppletInstances.prototype.run;
  AppletInstances.prototype.run = function timed(this: AppletInstances, ...args: Parameters<typeof run>) {
    const t = performance.now();
    try {
      return run.apply(this, args) as ReturnType<typeof run>;
    } finally {
      perApplet.set(args[0].appletId, (perApplet.get(args[0].appletId) ?? 0) + performance.now() - t);
    }
  } as typeof run;
  // And the secure element's whole feed (the applets' calls and what the card does around them).
  let feedMs = 0;
  const feed = SecureElement.prototype.feedMetrology;
  SecureElement.prototype.feedMetrology = function timedFeed(this: SecureElement, ...args: Parameters<typeof feed>) {
    const t = performance.now();
    try {
      return feed.apply(this, args);
    } finally {
      feedMs += performance.now() - t;
    }
  };
  const tCores = performance.now();
  for (const core of sample) core.advanceTo(until);
  const coreUs = ((performance.now() - tCores) * 1000) / (sample.length * 10);
  AppletInstances.prototype.run = run;
  SecureElement.prototype.feedMetrology = feed;
  const perDay = (ms: number) => `${((ms * 1000) / (sample.length * 10)).toFixed(0)} µs`;
  console.log(`  profile (${sample.length} homes × 10 days): household model ${modelUs.toFixed(0)} µs, whole meter day ${coreUs.toFixed(0)} µs per home-day`);
  const appletsMs = [...perApplet.values()].reduce((sum, ms) => sum + ms, 0);
  console.log(`    the card's feed ${perDay(feedMs)}: the applets' calls ${perDay(appletsMs)}, the card around them ${perDay(feedMs - appletsMs)}; outside the card (household model, readings, meter core) ${perDay(coreUs * sample.length * 10 / 1000 - feedMs)}`);
  console.log(`    applets (their calls, per home-day): ${[...perApplet].sort((a, b) => b[1] - a[1]).map(([id, ms]) => `${id} ${perDay(ms)}`).join(', ')}`);
}
