/**
 * Fingerprint of the household model's output: `npx tsx packages/meter-sim/bench/home-fingerprint.ts [homes=60] [days=400]`.
 * Simulates `homes` homes of a fixed world for `days` days from 2025-01-01 (spanning both clock
 * changes of 2025 and the turn of the year) in three passes — half-hour detail, minute detail, and
 * minute or half-hour detail under load-control windows and injected incidents — and hashes every
 * field of every HomeDay into one SHA-256 (numbers by their Float64 bytes, typed arrays by their
 * element type and bytes, object keys in order). A change that is meant to be a pure speed-up must
 * leave the fingerprint unchanged. Also prints µs per home-day of the simulation alone.
 */
import { createHash } from 'node:crypto';
import { addDays } from '../src/calendar';
import { createHomeProfile, simulateHomeDay } from '../src/home/index';
import type { ControlWindow, HomeDay, HomeProfile, Incident, SimulateOptions } from '../src/home/index';
import { londonDay } from '../src/calendar';
import { feed as feedInto } from '../test/home-digest';

const homes = Number(process.argv[2] ?? 60);
const days = Number(process.argv[3] ?? 400);
const SEED = 'fingerprint-world';

const hash = createHash('sha256');
const feed = (value: unknown): void => feedInto(hash, value);
const dates: string[] = [];
for (let d = '2025-01-01', k = 0; k < days; k++, d = addDays(d, 1)) dates.push(d);
const profiles: HomeProfile[] = [];
for (let i = 0; i < homes; i++) profiles.push(createHomeProfile(SEED, i));

/** Load-control windows and incidents for some homes on some days (fixed pattern, no randomness). */
function stressOptions(p: HomeProfile, date: string, k: number): SimulateOptions {
  const { startUtc } = londonDay(date);
  const controls: ControlWindow[] = [];
  if ((p.index + k) % 3 === 0) {
    controls.push({ device: 'heat-pump', fromUtc: startUtc + 17 * 3_600_000, toUtc: startUtc + 19 * 3_600_000 + 900_000, limitKw: (k % 4) * 0.5 });
    controls.push({ device: 'ev', fromUtc: startUtc - 2 * 3_600_000, toUtc: startUtc + 2 * 3_600_000 + 420_000, limitKw: 3.5 });
  }
  if ((p.index + k) % 5 === 1) {
    controls.push({ device: 'ev', fromUtc: startUtc + 60_000 * (k % 300), toUtc: startUtc + 60_000 * (k % 300) + 5_400_000, limitKw: 0 });
    controls.push({ device: 'heat-pump', fromUtc: startUtc + 6 * 3_600_000 + 123_456, toUtc: startUtc + 8 * 3_600_000, limitKw: 1.2 });
  }
  const incidents: Incident[] = [];
  if ((p.index * 7 + k) % 11 === 0) incidents.push({ kind: 'no-activity-day', date });
  if ((p.index * 5 + k) % 9 === 0) incidents.push({ kind: 'disturbed-night', date });
  if (k % 13 === 0) incidents.push({ kind: 'disturbed-night', date: addDays(date, 1) }); // not today: ignored
  return { controls, incidents, detail: k % 2 === 0 ? 'minute' : 'half-hour' };
}

let simulateMs = 0;
let n = 0;
const seen = new Map<string, number>();
const count = (what: string): void => void seen.set(what, (seen.get(what) ?? 0) + 1);
function run(label: string, options: (p: HomeProfile, date: string, k: number) => SimulateOptions, dayMajor: boolean, profiles: readonly HomeProfile[]): void {
  hash.update(`pass ${label}`);
  const visit = (p: HomeProfile, date: string, k: number): void => {
    const opts = options(p, date, k);
    const t = performance.now();
    const day: HomeDay = simulateHomeDay(p, date, opts);
    simulateMs += performance.now() - t;
    n++;
    feed(day);
    for (const e of day.voltageEvents) count(e.kind);
    if (day.evWh.some((x) => x > 0)) count('ev-day');
    if (day.heatPumpWh.some((x) => x > 0)) count('heat-pump-day');
    if (day.pvWh.some((x) => x > 0)) count('pv-day');
    if (day.halfHours !== 48) count(`${day.halfHours}-half-hour-day`);
  };
  if (dayMajor) dates.forEach((date, k) => profiles.forEach((p) => visit(p, date, k)));
  else profiles.forEach((p) => dates.forEach((date, k) => visit(p, date, k)));
}

run('half-hour', () => ({}), true, profiles);
run('minute', () => ({ detail: 'minute' }), false, profiles);
run('stress', stressOptions, true, profiles);
// One home per feeder: many feeders, so many more voltage events and outages.
const spread: HomeProfile[] = [];
for (let i = 0; i < 40; i++) spread.push(createHomeProfile(`${SEED}-spread`, i, { feederSize: 1 }));
run('spread', stressOptions, false, spread);
console.log([...seen].map(([k, v]) => `${k} ${v}`).join(', '));
console.log(`fingerprint ${hash.digest('hex')}`);
console.log(`${n} home-days, ${((simulateMs * 1000) / n).toFixed(1)} µs per home-day (simulation only, all passes)`);
