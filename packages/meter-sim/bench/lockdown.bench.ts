/**
 * Benchmark: what SES `lockdown()` costs the meter's own code in Node, and what the spec-exact
 * `Object.freeze` of `node/spec-freeze.ts` (installed by the CLI's meter workers) gives back.
 * Each realm runs in its own process (`lockdown-realm.ts`): plain, locked down with Node's native
 * freeze, locked down with the spec-exact one.
 *
 *   npx tsx packages/meter-sim/bench/lockdown.bench.ts [homes=40] [days=30]
 */
import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const homes = process.argv[2] ?? '40';
const days = process.argv[3] ?? '30';
const realm = join(dirname(fileURLToPath(import.meta.url)), 'lockdown-realm.ts');
process.stdout.write(`Household model at minute detail, ${homes} homes × ${days} days, and typed-array stores, per realm (CPU time):\n`);
for (const mode of ['plain', 'native-freeze', 'spec-freeze']) {
  const out = execFileSync(process.execPath, ['--import', 'tsx', realm, mode, homes, days], { encoding: 'utf8' });
  const { homeDayUs, storeNs, mapUs } = JSON.parse(out.trim().split('\n').at(-1) ?? '{}') as { homeDayUs: number; storeNs: number; mapUs: number };
  process.stdout.write(`  ${mode.padEnd(14)} ${homeDayUs.toFixed(0).padStart(6)} µs per home-day   ${storeNs.toFixed(2).padStart(7)} ns per Float64Array store   ${mapUs.toFixed(1).padStart(6)} µs per map of 1,440\n`);
}
