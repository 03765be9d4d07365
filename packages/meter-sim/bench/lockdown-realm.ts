/**
 * One realm of the lockdown benchmark (run by `lockdown.bench.ts` in its own process):
 *
 *   npx tsx packages/meter-sim/bench/lockdown-realm.ts <plain|native-freeze|spec-freeze> [homes] [days]
 *
 * Prints one JSON line: CPU µs per home-day of the household model at minute detail (what the meter
 * workers run), ns per typed-array store and µs per `map` over 1,440 numbers, in a plain realm, after `lockdown()` with Node's own
 * `Object.freeze`, and after `lockdown()` with the spec-exact freeze of `node/spec-freeze.ts`.
 */
export {};

const mode = process.argv[2] ?? 'plain';
const homes = Number(process.argv[3] ?? '40');
const days = Number(process.argv[4] ?? '30');
if (!['plain', 'native-freeze', 'spec-freeze'].includes(mode)) throw new RangeError(`mode: expected plain, native-freeze or spec-freeze, got ${mode}`);
if (mode === 'spec-freeze') await import('../node/spec-freeze');
if (mode !== 'plain') {
  await import('ses');
  lockdown({ errorTaming: 'unsafe', overrideTaming: 'severe', reporting: 'none' });
  if (mode === 'spec-freeze') (await import('../node/spec-freeze')).lockedDown();
}
const { addDays } = await import('../src/calendar');
const { createHomeProfile, simulateHomeDay } = await import('../src/home/index');

const stores = new Float64Array(1440);
const storeRound = () => {
  for (let m = 0; m < 1440; m++) stores[m] = m * 1.5;
};
for (let i = 0; i < 2000; i++) storeRound();
let cpu = process.cpuUsage();
for (let i = 0; i < 5000; i++) storeRound();
const storeNs = ((process.cpuUsage(cpu).user / 5000) * 1000) / 1440;
// Plain arrays too: Array.prototype.map over a day of minutes.
const minutes = Array.from({ length: 1440 }, (_, m) => m);
for (let i = 0; i < 500; i++) minutes.map((m) => m + 1);
cpu = process.cpuUsage();
for (let i = 0; i < 2000; i++) minutes.map((m) => m + 1);
const mapUs = process.cpuUsage(cpu).user / 2000;

const profiles = Array.from({ length: homes }, (_, i) => createHomeProfile('lockdown-bench', i));
for (let i = 0; i < 200; i++) simulateHomeDay(profiles[i % profiles.length] ?? createHomeProfile('lockdown-bench', 0), '2024-12-01', { detail: 'minute' });
let date = '2025-01-01';
cpu = process.cpuUsage();
for (let d = 0; d < days; d++, date = addDays(date, 1)) for (const profile of profiles) simulateHomeDay(profile, date, { detail: 'minute' });
const used = process.cpuUsage(cpu);
process.stdout.write(`${JSON.stringify({ mode, homeDayUs: (used.user + used.system) / (homes * days), storeNs, mapUs })}\n`);
