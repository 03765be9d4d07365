/**
 * The CLI's environment, read and validated in this one file: the database URL, the controlling
 * authority's and the manufacturer CA's keys, and the secrets reader each party's own module uses
 * (`parties/<party>.ts`). A party's secrets are named only in its own module — a lint rule in
 * eslint.config.mjs keeps it so (DESIGN.md Decision 8) — so this file reads a secret by the name it
 * is given and knows none of them.
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

/** The CLI's validated environment (no party secret: those stay in `parties/*.ts`). */
export interface CliEnv {
  databaseUrl: string;
  /** Where `--server` mode finds the app, if set. */
  serverUrl: string | null;
  /** The controlling authority's package-signing key (hex), when set-up has run. */
  publisherKeyHex: string | null;
  /** The simulated manufacturer CA's private key (hex), when set-up has run. Server-side only. */
  manufacturerCaKeyHex: string | null;
  /** Where the signed applet catalog is written. */
  catalogFile: string;
}

let secrets: Record<string, string> | null = null;

/**
 * One secret by name, from the process environment or `.hydra/secrets.env` (written by set-up),
 * or null when neither has it. Call it only from the owning party's module (`parties/<party>.ts`).
 * @throws {RangeError} naming the variable when it is set but does not match `pattern`.
 */
export function readSecret(name: string, pattern: RegExp, expected: string): string | null {
  if (secrets === null) {
    const file = `${repoRoot}.hydra/secrets.env`;
    secrets = existsSync(file) ? parseEnvFile(readFileSync(file, 'utf8')) : {};
  }
  const value = process.env[name] ?? secrets[name] ?? null;
  if (value !== null && !pattern.test(value)) throw new RangeError(`${name}: expected ${expected}`);
  return value;
}

/** Reads the environment once. */
export function loadEnv(): CliEnv {
  const hexKey = /^[0-9a-f]{64}$/i;
  return {
    databaseUrl: databaseUrl(),
    manufacturerCaKeyHex: readSecret('HYDRA_MANUFACTURER_CA_KEY', hexKey, '64 hex digits'),
    serverUrl: process.env.HYDRA_SERVER_URL ?? null,
    publisherKeyHex: readSecret('HYDRA_PUBLISHER_KEY', hexKey, '64 hex digits'),
    catalogFile: `${repoRoot}.hydra/catalog.json`,
  };
}
