/**
 * The web server's environment, read and validated in this one file: the database URL, where the
 * server reaches its own routes (the relay and the parties talk over real HTTP), and each party's
 * credentials from `.hydra/secrets.env` (written by set-up) or the process environment.
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

/** The server's validated configuration. */
export interface ServerEnv {
  databaseUrl: string;
  internalUrl: string;
  appletsDirectory: string;
  tokens: { dcc: string; supplier: string };
  supplierKekHex: string;
  /** The simulated manufacturer CA's private key: certifies meters at registration; never sent to a browser. */
  manufacturerCaKeyHex: string;
}

let cached: ServerEnv | null = null;

/** Reads the environment once; throws with what to do when set-up has not run. */
export function serverEnv(): ServerEnv {
  if (cached) return cached;
  const file = resolve(repoRoot, '.hydra/secrets.env');
  const secrets = existsSync(file) ? parseEnvFile(readFileSync(file, 'utf8')) : {};
  const read = (name: string): string => {
    const value = process.env[name] ?? secrets[name];
    if (!value) throw new Error(`${name} is not set: run \`npm run setup\` (it writes .hydra/secrets.env)`);
    return value;
  };
  const kek = read('HYDRA_SUPPLIER_KEK');
  if (!/^[0-9a-f]{64}$/i.test(kek)) throw new Error('HYDRA_SUPPLIER_KEK: expected 64 hex digits');
  const manufacturer = read('HYDRA_MANUFACTURER_CA_KEY');
  if (!/^[0-9a-f]{64}$/i.test(manufacturer)) throw new Error('HYDRA_MANUFACTURER_CA_KEY: expected 64 hex digits');
  const port = process.env.PORT ?? '3000';
  cached = {
    // Explicit default: inside the server bundle @hydra/db cannot locate the repository itself.
    databaseUrl: databaseUrl(`file:${resolve(repoRoot, 'prisma/data/hydra.db')}`),
    internalUrl: process.env.HYDRA_INTERNAL_URL ?? `http://127.0.0.1:${port}`,
    appletsDirectory: resolve(repoRoot, 'packages/meter-sim/applets'),
    tokens: { dcc: read('HYDRA_DCC_TOKEN'), supplier: read('HYDRA_SUPPLIER_TOKEN') },
    supplierKekHex: kek,
    manufacturerCaKeyHex: manufacturer,
  };
  return cached;
}
