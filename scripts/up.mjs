#!/usr/bin/env node
// The one command to try Hydra Meter Lab: set up (install, secrets, migrate, seed), build the
// dashboard, and start it. Open the printed URL.
import { root, run, step } from './lib.mjs';
import { setup } from './setup.mjs';

setup();
step('Building the dashboard');
run('npx', ['turbo', 'run', 'build', '--filter=@hydra/web']);
step('Starting');
run('node', ['scripts/start-web.mjs'], { cwd: root });
