/**
 * The web server's environment, read and validated in this one file: the database URL, where the
 * server reaches its own routes (the relay and the parties talk over real HTTP), the relay's rate
 * limits, and the secrets reader each party's own module uses (`parties/*.ts`). A party's secrets
 * are named only in its own module — a lint rule in eslint.config.mjs keeps it so (DESIGN.md
 * Decision 8) — so this file reads a secret by the name it is given and knows none of them.
 */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { databaseUrl } from '@hydra/db';

/** The repository root: `next start` runs in apps/web. */
export const repoRoot = existsSync(resolve(process.cwd(), 'turbo.json')) ? process.cwd() : resolve(process.cwd(), '../..');

function parseEnvFile(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split(/\r?\n/)) {
    const trimmed = line.trim();
    if (!trimmed || trimmed.startsWith('#')) continue;
    const eq = trimmed.indexOf('=');
    if (eq > 0) out[trimmed.slice(0, eq).trim()] = trimmed.slice(eq + 1).trim();
  }
  return out;
}

/** A token-bucket limit. */
export interface RateLimitEnv {
  perSecond: number;
  burst: number;
}

/** The server's validated configuration (no party secret: those stay in `parties/*.ts`). */
export interface ServerEnv {
  databaseUrl: string;
  internalUrl: string;
  appletsDirectory: string;
  /** Relay limits: uplinks per meter, downlinks per party (HYDRA_RELAY_METER_RATE / _PARTY_RATE as "perSecond/burst"). */
  rateLimits: { meter?: RateLimitEnv; party?: RateLimitEnv };
  /** How often the relay retries queued uplinks in the background, in ms (HYDRA_RELAY_DRAIN_MS, 0 = never). */
  drainIntervalMs: number;
  /** How long a delivery attempt holds an uplink before a restarted relay may retry it (HYDRA_RELAY_LEASE_MS). */
  leaseMs: number;
  /** HYDRA_RELAY_DELIVERY: 'background' (default) delivers right after accepting; 'deferred' leaves it to the drain timer (benchmarks of the accept path). */
  delivery: 'background' | 'deferred';
}

let cached: ServerEnv | null = null;
let secrets: Record<string, string> | null = null;

function parseRate(name: string): RateLimitEnv | undefined {
  const text = process.env[name];
  if (text === undefined || text === '') return undefined;
  const match = /^(\d+(?:\.\d+)?)\/(\d+)$/.exec(text);
  if (!match) throw new Error(`${name}: expected "perSecond/burst", e.g. "5/50", got ${JSON.stringify(text)}`);
  return { perSecond: Number(match[1]), burst: Number(match[2]) };
}

/** Reads the environment once. */
export function serverEnv(): ServerEnv {
  if (cached) return cached;
  const port = process.env.PORT ?? '3000';
  const drain = process.env.HYDRA_RELAY_DRAIN_MS ?? '2000';
  if (!/^\d+$/.test(drain)) throw new Error(`HYDRA_RELAY_DRAIN_MS: expected milliseconds, got ${JSON.stringify(drain)}`);
  const lease = process.env.HYDRA_RELAY_LEASE_MS ?? '30000';
  if (!/^\d+$/.test(lease) || Number(lease) < 100) throw new Error(`HYDRA_RELAY_LEASE_MS: expected milliseconds (at least 100), got ${JSON.stringify(lease)}`);
  const delivery = process.env.HYDRA_RELAY_DELIVERY ?? 'background';
  if (delivery !== 'background' && delivery !== 'deferred') throw new Error(`HYDRA_RELAY_DELIVERY: expected "background" or "deferred", got ${JSON.stringify(delivery)}`);
  const meter = parseRate('HYDRA_RELAY_METER_RATE');
  const party = parseRate('HYDRA_RELAY_PARTY_RATE');
  cached = {
    // Explicit default: inside the server bundle @hydra/db cannot locate the repository itself.
    databaseUrl: databaseUrl(`file:${resolve(repoRoot, 'prisma/data/hydra.db')}`),
    internalUrl: process.env.HYDRA_INTERNAL_URL ?? `http://127.0.0.1:${port}`,
    appletsDirectory: resolve(repoRoot, 'packages/meter-sim/applets'),
    rateLimits: { ...(meter ? { meter } : {}), ...(party ? { party } : {}) },
    drainIntervalMs: Number(drain),
    leaseMs: Number(lease),
    delivery,
  };
  return cached;
}

/**
 * One secret by name, from the process environment or `.hydra/secrets.env` (written by set-up).
 * Call it only from the owning party's module (`parties/<party>.ts`).
 * @throws {Error} saying how to create it when it is missing, or when `pattern` does not match.
 */
export function readSecret(name: string, pattern?: RegExp): string {
  if (secrets === null) {
    const file = resolve(repoRoot, '.hydra/secrets.env');
    secrets = existsSync(file) ? parseEnvFile(readFileSync(file, 'utf8')) : {};
  }
  const value = process.env[name] ?? secrets[name];
  if (!value) throw new Error(`${name} is not set: run \`npm run setup\` (it writes .hydra/secrets.env)`);
  if (pattern && !pattern.test(value)) throw new Error(`${name}: not in the expected format (${pattern.source}); re-run \`npm run setup\` after removing the line`);
  return value;
}
