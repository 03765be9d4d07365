#!/usr/bin/env node
// Starts the built web app (`next start` in apps/web) on 0.0.0.0:PORT and prints the URL to open.
// Pure Node: resolves the `next` binary from apps/web and runs it with the current node.
//
//   PORT=3000 node scripts/start-web.mjs        (default port 3000)
//
// Fails with a clear message when the app has not been built (`npm run build`).
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const webDir = join(root, 'apps', 'web');

function fail(message) {
  console.error(`start-web: ${message}`);
  process.exit(1);
}

const portText = process.env.PORT ?? '3000';
const port = Number(portText);
if (!/^\d+$/.test(portText) || !Number.isInteger(port) || port < 1 || port > 65535) {
  fail(`PORT: expected an integer from 1 to 65535, got ${JSON.stringify(portText)}`);
}

if (!existsSync(join(webDir, '.next', 'BUILD_ID'))) {
  fail('apps/web has not been built. Run `npm run build` (or `npm run build --workspace @hydra/web`) first.');
}

let nextBin;
try {
  nextBin = createRequire(join(webDir, 'package.json')).resolve('next/dist/bin/next');
} catch {
  fail('cannot find the `next` package from apps/web. Run `npm install` at the repository root.');
}

const url = `http://localhost:${port}`;
const child = spawn(process.execPath, [nextBin, 'start', '--port', String(port), '--hostname', '0.0.0.0'], {
  cwd: webDir,
  env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1', PORT: String(port) },
  stdio: ['inherit', 'pipe', 'inherit'],
});

// Pass Next's output through and announce the URL once the server is ready.
let announced = false;
let pending = '';
child.stdout.on('data', (chunk) => {
  process.stdout.write(chunk);
  if (announced) return;
  pending = (pending + chunk.toString('utf8')).slice(-4096);
  if (/\bReady\b/i.test(pending)) {
    announced = true;
    pending = '';
    process.stdout.write(`\n  Hydra Meter Lab is running at ${url}\n  (listening on 0.0.0.0:${port}; press Ctrl+C to stop)\n\n`);
  }
});

for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, () => {
    if (child.exitCode === null) child.kill(signal);
  });
}

child.on('error', (error) => fail(`could not start next: ${error.message}`));
child.on('exit', (code, signal) => {
  if (signal !== null) process.exit(signal === 'SIGINT' || signal === 'SIGTERM' ? 0 : 1);
  process.exit(code ?? 1);
});
