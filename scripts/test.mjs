#!/usr/bin/env node
// The one command that runs every test: set-up, lint, type-check, unit and integration tests of
// every package (turbo), the migration drift check, then the end-to-end specs in Chromium against
// the built app on its own database.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { root, run, step } from './lib.mjs';
import { setup } from './setup.mjs';

setup();
step('Lint, type-check, unit and integration tests');
run('npx', ['turbo', 'run', 'lint', 'typecheck', 'test', '--continue=never']);
step('Migration drift check');
run('npx', ['tsx', 'prisma/scripts/prisma.ts', 'drift']);

step('End-to-end (Playwright, Chromium) against the built app');
const e2eDb = join(root, 'prisma', 'data', 'e2e.db');
for (const suffix of ['', '-wal', '-shm', '-journal']) rmSync(`${e2eDb}${suffix}`, { force: true });
const env = { DATABASE_URL: `file:${e2eDb}` };
run('npx', ['tsx', 'prisma/scripts/prisma.ts', 'deploy'], { env });
run('node', ['apps/cli/bin/hydra.mjs', 'seed'], { env });
run('npx', ['turbo', 'run', 'build', '--filter=@hydra/web']);
run('npx', ['playwright', 'test', '-c', 'e2e/playwright.config.ts'], { env });
process.stdout.write('\n✔ all tests passed\n');
