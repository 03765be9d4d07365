/**
 * The household model's speed as the meter day runs it: `npx tsx packages/meter-sim/bench/home-speed.bench.ts [homes=1000] [days=30] [half-hour|minute] [plain|lockdown|spec-freeze] [rounds=5]`.
 * Day-major (every home for one date, then the next date, as `MeterFleet.advanceTo` does), each
 * round on fresh dates so the per-date caches are cold at the start of each date as in a real run.
 * `lockdown` runs it after SES `lockdown()`; `spec-freeze` after `lockdown()` with node/spec-freeze.ts
 * installed first, as the CLI's meter workers run. Prints CPU µs per home-day
 * for each round, then the median and the best.
 */
export {};

const homes = Number(process.argv[2] ?? 1000);
const days = Number(process.argv[3] ?? 30);
const detail = (process.argv[4] ?? 'half-hour') as 'half-hour' | 'minute';
const realm = process.argv[5] ?? 'plain';
const rounds = Number(process.argv[6] ?? 5);
if (!['plain', 'lockdown', 'spec-freeze'].includes(realm)) throw new RangeError(`realm: expected plain, lockdown or spec-freeze, got ${realm}`);
// spec-freeze: as the CLI's meter workers run (node/spec-freeze.ts installed before lockdown).
if (realm === 'spec-freeze') await import('../node/spec-freeze');
if (realm !== 'plain') {
  await import('ses');
  lockdown({ errorTaming: 'unsafe', overrideTaming: 'severe', reporting: 'none' });
  if (realm === 'spec-freeze') (await import('../node/spec-freeze')).lockedDown();
}
const { addDays } = await import('../src/calendar');
const { createHomeProfile, simulateHomeDay } = await import('../src/home/index');

const profiles = Array.from({ length: homes }, (_, i) => createHomeProfile('home-speed', i));
// Warm-up (JIT) on the same homes, on dates before the timed ones.
for (let d = 0, date = '2024-12-01'; d < 3; d++, date = addDays(date, 1)) for (const p of profiles) simulateHomeDay(p, date, { detail });
let date = '2025-01-01';
let checksum = 0;
const results: number[] = [];
for (let r = 0; r < rounds; r++) {
  const cpu = process.cpuUsage();
  for (let d = 0; d < days; d++, date = addDays(date, 1)) {
    for (const p of profiles) checksum += simulateHomeDay(p, date, { detail }).importWh[20] ?? 0;
  }
  const used = process.cpuUsage(cpu);
  results.push((used.user + used.system) / (homes * days));
}
const sorted = [...results].sort((a, b) => a - b);
console.log(`${realm} ${detail}: ${results.map((x) => x.toFixed(1)).join(' ')} µs per home-day; median ${(sorted[sorted.length >> 1] ?? 0).toFixed(1)}, best ${(sorted[0] ?? 0).toFixed(1)} (checksum ${checksum})`);
