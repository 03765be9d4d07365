#!/usr/bin/env node
// Benchmarks (figures, not pass/fail): headless world runs (home-months simulated per second
// through meter → relay → the three parties on the embedded database), the relay's accept path in-process
// step by step, relay envelopes per second over loopback HTTP into the built app — one envelope per
// request and a comms hub's batch per request (p50/p99, multiples of GB's ~850 msg/s) — the
// household model, and the GlobalPlatform primitives with noble against node:crypto. Record
// results in BENCHMARKS.md.
//
//   npm run bench                 # default sizes
//   BENCH_HOMES=200 BENCH_MONTHS=12 npm run bench
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { quietEnv, root, run, step } from './lib.mjs';

const homes = Number(process.env.BENCH_HOMES ?? '100');
const months = Number(process.env.BENCH_MONTHS ?? '3');
process.stdout.write(`Machine: ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}\n`);

step(`Headless world: ${homes} homes × ${months} months, meter → relay → supplier, DNO and telecare (SQLite)`);
const dir = mkdtempSync(join(tmpdir(), 'hydra-bench-'));
const env = { DATABASE_URL: `file:${join(dir, 'bench.db')}` };
run('npx', ['tsx', 'prisma/scripts/prisma.ts', 'deploy'], { env });
for (const workers of [1, 2]) {
  const result = spawnSync('node', ['apps/cli/bin/hydra.mjs', 'run', '--homes', String(homes), '--months', String(months), '--workers', String(workers), '--seed', 'bench', '--json'], {
    cwd: root,
    env: { ...process.env, ...quietEnv, ...env },
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
  });
  if (result.status !== 0) {
    process.stderr.write(result.stderr);
    process.exit(result.status ?? 1);
  }
  const summary = JSON.parse(result.stdout);
  const homeMonths = summary.homes * summary.months;
  process.stdout.write(
    `  workers=${workers}: ${homeMonths} home-months in ${summary.seconds.toFixed(1)} s → ${(homeMonths / summary.seconds).toFixed(1)} home-months/s ` +
      `(${(summary.homeDays / summary.seconds).toFixed(0)} home-days/s), relay ${summary.relay.messages} messages / ${summary.relay.bytes} bytes; ` +
      `dno ${summary.parties.dno.powerQualityEvents} events, ${summary.parties.dno.feeders.reduce((sum, f) => sum + f.completePeriods, 0)} feeder half hours recovered; ` +
      `telecare ${summary.parties.telecare.homes} homes, ${summary.parties.telecare.alerts} alerts\n`,
  );
}
rmSync(dir, { recursive: true, force: true });

const providers = process.env.HYDRA_PG_URL ? ['sqlite', 'postgresql'] : ['sqlite'];
step('Relay accept path in-process: each step alone, one envelope, a batch of 50, delivery to a party that takes everything');
for (const provider of providers) run('npx', ['tsx', 'packages/dcc/bench/relay-accept.bench.ts', '2000', '200', '50'], { env: { HYDRA_TEST_DATABASE: provider } });

step('Relay over loopback HTTP: concurrent signed uplinks into the built app, one per request and batched (needs `npm run build`)');
if (!existsSync(join(root, 'apps', 'web', '.next', 'BUILD_ID'))) {
  process.stdout.write('  skipped: apps/web is not built (run `npm run build` first)\n');
} else {
  const envelopes = process.env.BENCH_ENVELOPES ?? '4000';
  const batched = process.env.BENCH_BATCHED_ENVELOPES ?? '10000';
  // The accept path alone; with delivery to the app's supplier (which refuses the random payloads);
  // with delivery to a stand-in party that takes everything (end to end).
  const modes = [['deferred', 'supplier'], ['background', 'supplier'], ['background', 'accepting']];
  for (const provider of providers) {
    for (const [delivery, party] of modes) {
      // One envelope per request from 32 clients; then 8 comms hubs posting batches of 50.
      run('npx', ['tsx', 'packages/dcc/bench/relay-http.bench.ts', envelopes, '32', '200', delivery, '1', party], { env: { HYDRA_TEST_DATABASE: provider } });
      run('npx', ['tsx', 'packages/dcc/bench/relay-http.bench.ts', batched, '8', '200', delivery, '50', party], { env: { HYDRA_TEST_DATABASE: provider } });
    }
  }
}

step('Household model alone (half-hour detail)');
run('npx', ['tsx', 'packages/meter-sim/bench/home.bench.ts', '200', '365', 'half-hour']);

step('SES lockdown in Node: the household model and typed-array stores, plain / native freeze / spec-exact freeze');
run('npx', ['tsx', 'packages/meter-sim/bench/lockdown.bench.ts', '40', '30']);

step('Every applet active (SES compartments), household model feeding them');
// A year per meter by default (monthly collects keep a month of outbox, as in a headless run).
run('npx', ['tsx', '--expose-gc', 'packages/meter-sim/bench/applets.bench.ts', process.env.BENCH_APPLET_HOMES ?? '100', process.env.BENCH_APPLET_DAYS ?? '365', '--profile']);
step('Every applet active on two worker threads at once (the aim: a year of 1,000 homes; BENCH_APPLET_THREAD_HOMES=1000 for all of it)');
run('npx', ['tsx', 'packages/meter-sim/bench/applets.bench.ts', process.env.BENCH_APPLET_THREAD_HOMES ?? '200', process.env.BENCH_APPLET_DAYS ?? '365', '--threads=2']);
step('Household model speed as the fleet runs it (day-major, realm as the meter workers)');
run('npx', ['tsx', 'packages/meter-sim/bench/home-speed.bench.ts', '1000', '30', 'half-hour', 'spec-freeze', '3']);

step('GlobalPlatform: SCP11 channels, wrapped APDUs, noble vs node:crypto');
run('npx', ['tsx', 'packages/globalplatform/bench/globalplatform.bench.ts']);
