/**
 * The CLI's environment, read and validated in this one file: the database URL and the parties'
 * secrets (from `.hydra/secrets.env`, written by set-up, or the process environment).
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { databaseUrl } from '@hydra/db';

/** Repository root (two levels above apps/cli/src). */
export const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));

/** Parses a KEY=VALUE file (blank lines and # comments ignored). */
export function parseEnvFile(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split(/\r?\n/)) {
    const trimmed = line.trim();
    if (!trimmed || trimmed.startsWith('#')) continue;
    const eq = trimmed.indexOf('=');
    if (eq > 0) out[trimmed.slice(0, eq).trim()] = trimmed.slice(eq + 1).trim();
  }
  return out;
}

/** The CLI's validated environment. */
export interface CliEnv {
  databaseUrl: string;
  /** The supplier's key-encryption key, when set-up has run (hex, 32 bytes). */
  supplierKekHex: string | null;
  /** Where `--server` mode finds the app, if set. */
  serverUrl: string | null;
  /** The controlling authority's package-signing key (hex), when set-up has run. */
  publisherKeyHex: string | null;
  /** The simulated manufacturer CA's private key (hex), when set-up has run. Server-side only. */
  manufacturerCaKeyHex: string | null;
  /** Where the signed applet catalog is written. */
  catalogFile: string;
}

/** Reads the environment once. */
export function loadEnv(): CliEnv {
  const file = `${repoRoot}.hydra/secrets.env`;
  const secrets = existsSync(file) ? parseEnvFile(readFileSync(file, 'utf8')) : {};
  const kek = process.env.HYDRA_SUPPLIER_KEK ?? secrets.HYDRA_SUPPLIER_KEK ?? null;
  if (kek !== null && !/^[0-9a-f]{64}$/i.test(kek)) throw new RangeError('HYDRA_SUPPLIER_KEK: expected 64 hex digits');
  const publisher = process.env.HYDRA_PUBLISHER_KEY ?? secrets.HYDRA_PUBLISHER_KEY ?? null;
  if (publisher !== null && !/^[0-9a-f]{64}$/i.test(publisher)) throw new RangeError('HYDRA_PUBLISHER_KEY: expected 64 hex digits');
  const manufacturer = process.env.HYDRA_MANUFACTURER_CA_KEY ?? secrets.HYDRA_MANUFACTURER_CA_KEY ?? null;
  if (manufacturer !== null && !/^[0-9a-f]{64}$/i.test(manufacturer)) throw new RangeError('HYDRA_MANUFACTURER_CA_KEY: expected 64 hex digits');
  return {
    databaseUrl: databaseUrl(),
    manufacturerCaKeyHex: manufacturer,
    supplierKekHex: kek,
    serverUrl: process.env.HYDRA_SERVER_URL ?? null,
    publisherKeyHex: publisher,
    catalogFile: `${repoRoot}.hydra/catalog.json`,
  };
}
