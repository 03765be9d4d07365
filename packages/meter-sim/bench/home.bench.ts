/**
 * Household simulation throughput: `npx tsx packages/meter-sim/bench/home.bench.ts [homes] [days] [detail]`
 * (defaults 1000 homes × 60 days from 1 January, half-hour detail). Prints home-days per second
 * (wall clock and CPU), the projection for the 365,000-home-day year on two cores, and bytes per
 * home (profile) and per simulated home-day. Run with `node --expose-gc --import tsx …` for heap
 * figures measured after a forced collection rather than estimated.
 */
import { addDays } from '../src/calendar';
import { createHomeProfile, simulateHomeDay } from '../src/home/index';
import type { HomeDay, HomeProfile } from '../src/home/index';

const homes = Number(process.argv[2] ?? 1000);
const days = Number(process.argv[3] ?? 60);
const detail = (process.argv[4] ?? 'half-hour') as 'half-hour' | 'minute';
const seed = 'bench-world';
const gc = (globalThis as { gc?: () => void }).gc;

function heapAfterGc(): number {
  gc?.();
  return process.memoryUsage().heapUsed;
}

const dates: string[] = [];
for (let d = '2025-01-01', k = 0; k < days; k++, d = addDays(d, 1)) dates.push(d);

// Profiles.
let heap0 = heapAfterGc();
let t0 = performance.now();
const profiles: HomeProfile[] = [];
for (let i = 0; i < homes; i++) profiles.push(createHomeProfile(seed, i));
const profileMs = performance.now() - t0;
const profileHeap = (heapAfterGc() - heap0) / homes;
const profileJson = profiles.reduce((s, p) => s + JSON.stringify(p).length, 0) / homes;

// Warm-up (JIT) on another world, then the timed run: day-major, as a world clock advances.
for (let i = 0; i < 2000; i++) simulateHomeDay(createHomeProfile('warm-up', i % 100), dates[i % dates.length] ?? '2025-01-01', { detail });
let checksum = 0;
const cpu0 = process.cpuUsage();
t0 = performance.now();
for (const date of dates) {
  for (const p of profiles) checksum += simulateHomeDay(p, date, { detail }).importWh[36] ?? 0;
}
const wallMs = performance.now() - t0;
const cpu = process.cpuUsage(cpu0);
const cpuMs = (cpu.user + cpu.system) / 1000;
const n = homes * days;

// Size of one simulated day, retained.
heap0 = heapAfterGc();
const kept: HomeDay[] = [];
for (let i = 0; i < 5000; i++) kept.push(simulateHomeDay(profiles[i % homes] as HomeProfile, dates[i % dates.length] ?? '2025-01-01', { detail }));
const dayHeap = (heapAfterGc() - heap0) / kept.length;
const typedBytes =
  kept.reduce((s, d) => {
    const arrays = [d.importWh, d.exportWh, d.pvWh, d.evWh, d.heatPumpWh, d.voltage.minV, d.voltage.maxV, d.voltage.meanV];
    if (d.minute) arrays.push(d.minute.importW, d.minute.voltage as unknown as Int32Array);
    return s + arrays.reduce((t, a) => t + a.byteLength, 0);
  }, 0) / kept.length;
const activity = kept.reduce((s, d) => s + d.activity.length, 0) / kept.length;

const perSecondWall = (n / wallMs) * 1000;
const perSecondCpu = (n / cpuMs) * 1000;
const f = (x: number, digits = 0): string => x.toLocaleString('en-GB', { maximumFractionDigits: digits, minimumFractionDigits: digits });
console.log(`household simulation, ${detail} detail: ${f(homes)} homes × ${days} days = ${f(n)} home-days (checksum ${checksum})`);
console.log(`  profiles:       ${f((profileMs * 1000) / homes, 1)} µs each`);
console.log(`  home-days/s:    ${f(perSecondWall)} wall, ${f(perSecondCpu)} per CPU-second`);
console.log(`  per home-day:   ${f((wallMs * 1000) / n, 1)} µs wall, ${f((cpuMs * 1000) / n, 1)} µs CPU`);
console.log(`  365,000 home-days (1,000 homes × 1 year) on 2 cores: ≈ ${f(365_000 / perSecondCpu / 2, 1)} s of simulation`);
console.log(`  bytes per home: profile ${f(profileJson)} B as JSON${gc ? `, ${f(profileHeap)} B on the heap` : ''}`);
console.log(
  `  bytes per home-day: ${f(typedBytes)} B of typed arrays, ${f(activity, 1)} activity events` +
    (gc ? `, ${f(dayHeap)} B on the heap in all` : ' (run with --expose-gc for the heap total)'),
);
