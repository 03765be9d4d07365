#!/usr/bin/env node
// The one command that runs every test: set-up, lint, type-check, unit and integration tests of
// every package (turbo), the migration drift check, the database suites again on PostgreSQL when
// HYDRA_PG_URL is set, then — after the build — the HTTP suites (credential matrix, SIGKILL fault
// test) and the end-to-end specs in Chromium against the built app on its own database.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { root, run, step } from './lib.mjs';
import { setup } from './setup.mjs';

setup();
step('Lint, type-check, unit and integration tests');
// Two tasks at a time on two cores: the fuzz and calibration suites are CPU-bound.
run('npx', ['turbo', 'run', 'lint', 'typecheck', 'test', '--continue=never', '--concurrency=2']);
step('Migration drift check');
run('npx', ['tsx', 'prisma/scripts/prisma.ts', 'drift']);

// The database suites again on PostgreSQL (.ci/run starts it and sets HYDRA_PG_URL): each test
// file creates and drops its own database there (@hydra/db/testing).
const postgres = Boolean(process.env.HYDRA_PG_URL);
const onPostgres = { HYDRA_TEST_DATABASE: 'postgresql' };
if (postgres) {
  step('Integration suites on PostgreSQL (dcc, suppliers, cli)');
  run('npx', ['turbo', 'run', 'test', '--filter=@hydra/dcc', '--filter=@hydra/suppliers', '--filter=@hydra/cli', '--continue=never'], { env: onPostgres });
} else {
  process.stdout.write('  PostgreSQL suites skipped: set HYDRA_PG_URL (e.g. `export HYDRA_PG_URL="$(bash prisma/scripts/ci-postgres.sh)"`)\n');
}

step('End-to-end (Playwright, Chromium) against the built app');
const e2eDb = join(root, 'prisma', 'data', 'e2e.db');
for (const suffix of ['', '-wal', '-shm', '-journal']) rmSync(`${e2eDb}${suffix}`, { force: true });
const env = { DATABASE_URL: `file:${e2eDb}` };
run('npx', ['tsx', 'prisma/scripts/prisma.ts', 'deploy'], { env });
run('node', ['apps/cli/bin/hydra.mjs', 'seed'], { env });
run('node', ['apps/cli/bin/hydra.mjs', 'seed', '--world', 'demo-conventional', '--mode', 'conventional'], { env });
run('npx', ['turbo', 'run', 'build', '--filter=@hydra/web']);

// Over real HTTP against the built app, each on its own server and database: every route x every
// credential, and the relay + supplier surviving repeated SIGKILLs (HYDRA_FAULT_* to tune).
for (const provider of postgres ? ['sqlite', 'postgresql'] : ['sqlite']) {
  const env = provider === 'postgresql' ? onPostgres : { HYDRA_TEST_DATABASE: 'sqlite' };
  step(`API credential matrix and SIGKILL fault test against the built app (${provider})`);
  run('npx', ['vitest', 'run', '-c', 'vitest.http.config.ts'], { cwd: join(root, 'apps', 'web'), env });
  run('npx', ['vitest', 'run', '-c', 'vitest.http.config.ts'], { cwd: join(root, 'apps', 'cli'), env });
}
run('npx', ['playwright', 'test', '-c', 'e2e/playwright.config.ts'], { env });
process.stdout.write('\n✔ all tests passed\n');
