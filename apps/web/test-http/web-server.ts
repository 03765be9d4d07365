/**
 * Starts the built web app (`node scripts/start-web.mjs`) as a child process on a free port with
 * its own database and throwaway party credentials, for tests that go over real HTTP. The child
 * runs in its own process group so `kill('SIGKILL')` takes `next start` down with it, as a crash
 * would. Needs `apps/web/.next` (npm run build); the test script builds before running these.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

/** Throwaway credentials for every party. */
export interface PartySecrets {
  dcc: string;
  supplier: string;
  dno: string;
  telecare: string;
  env: Record<string, string>;
}

/** Fresh random tokens and KEKs, as set-up would write them. */
export function makeSecrets(): PartySecrets {
  const token = () => randomBytes(32).toString('base64url');
  const kek = () => randomBytes(32).toString('hex');
  const secrets = { dcc: token(), supplier: token(), dno: token(), telecare: token() };
  return {
    ...secrets,
    env: {
      HYDRA_DCC_TOKEN: secrets.dcc,
      HYDRA_SUPPLIER_TOKEN: secrets.supplier,
      HYDRA_SUPPLIER_KEK: kek(),
      HYDRA_DNO_TOKEN: secrets.dno,
      HYDRA_DNO_KEK: kek(),
      HYDRA_TELECARE_TOKEN: secrets.telecare,
      HYDRA_TELECARE_KEK: kek(),
      // The simulated manufacturer CA (a P-256 scalar below the group order, as set-up writes it).
      HYDRA_MANUFACTURER_CA_KEY: `00${randomBytes(31).toString('hex')}`,
    },
  };
}

/** A free TCP port on loopback. */
export async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolvePort(address.port) : reject(new Error('no port'))));
    });
  });
}

/** Whether the app has been built (these tests need it). */
export function webBuilt(): boolean {
  return existsSync(join(repoRoot, 'apps/web/.next/BUILD_ID'));
}

/** A running web app. */
export interface WebServer {
  origin: string;
  port: number;
  /** Sends `signal` to the whole process group and waits for the exit. */
  kill(signal?: NodeJS.Signals): Promise<void>;
  /** The server's last output (stdout and stderr, at most 8,000 characters), to show on a failure. */
  output(): string;
}

/** Options for {@link startWeb}. */
export interface StartWebOptions {
  databaseUrl: string;
  secrets: PartySecrets;
  port?: number;
  env?: Record<string, string>;
  /** How long to wait for the first answer (default 60 s). */
  timeoutMs?: number;
}

/**
 * Starts the app and resolves once `GET /api/catalog` answers 200.
 * @throws {Error} with the server's last output when it exits or does not answer in time.
 */
export async function startWeb(options: StartWebOptions): Promise<WebServer> {
  if (!webBuilt()) throw new Error('apps/web is not built: run `npm run build` first');
  const port = options.port ?? (await freePort());
  const origin = `http://127.0.0.1:${port}`;
  const child: ChildProcess = spawn(process.execPath, [join(repoRoot, 'scripts/start-web.mjs')], {
    cwd: repoRoot,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      ...options.secrets.env,
      ...options.env,
      DATABASE_URL: options.databaseUrl,
      PORT: String(port),
      // Where the server reaches the parties (and itself): itself, unless a benchmark points it elsewhere.
      HYDRA_INTERNAL_URL: options.env?.HYDRA_INTERNAL_URL ?? origin,
      NEXT_TELEMETRY_DISABLED: '1',
    },
  });
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString('utf8')).slice(-8000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<void>((resolveExit) => child.once('exit', () => resolveExit()));
  const kill = async (signal: NodeJS.Signals = 'SIGTERM') => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    try {
      if (child.pid !== undefined) process.kill(-child.pid, signal);
    } catch {
      // Already gone.
    }
    await exited;
  };
  const deadline = Date.now() + (options.timeoutMs ?? 60_000);
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the web app exited (${child.exitCode}) before answering:\n${output}`);
    try {
      const response = await fetch(`${origin}/api/catalog`);
      if (response.ok) break;
    } catch {
      // Not listening yet.
    }
    if (Date.now() > deadline) {
      await kill('SIGKILL');
      throw new Error(`the web app did not answer within the timeout:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 150));
  }
  return { origin, port, kill, output: () => output };
}
