// The one place `@hydra/db` reads the environment (STYLE.md rule 10). Everything else in the
// package — runtime module, config files, scripts — takes the database URL from here so the
// default is defined once.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Absolute path of the embedded SQLite database used when `DATABASE_URL` is unset:
 * `<repo>/prisma/data/hydra.db`, computed from this file's location so it is the same from any
 * working directory. Evaluated lazily: inside a bundle (the Next.js server) this module's URL is
 * the bundle's, so bundled callers pass an explicit URL instead (the web app's env module does).
 */
export function defaultSqlitePath(): string {
  return join(dirname(fileURLToPath(import.meta.url)), '..', 'data', 'hydra.db');
}

/** `file:` URL of {@link defaultSqlitePath}. */
export function defaultDatabaseUrl(): string {
  return `file:${defaultSqlitePath()}`;
}

/**
 * The database URL: `DATABASE_URL` when set and non-empty, else `fallback` (default: the embedded
 * SQLite file).
 *
 * @returns a `file:` (SQLite) or `postgres://` / `postgresql://` (PostgreSQL) URL
 */
export function databaseUrl(fallback?: string): string {
  const value = process.env.DATABASE_URL?.trim();
  return value ? value : (fallback ?? defaultDatabaseUrl());
}

/**
 * Which database other packages' tests use: PostgreSQL (the server URL) when
 * HYDRA_TEST_DATABASE=postgresql and HYDRA_PG_URL is set, else SQLite (null).
 */
export function testPostgresServerUrl(): string | null {
  const url = process.env.HYDRA_PG_URL?.trim();
  return process.env.HYDRA_TEST_DATABASE === 'postgresql' && url ? url : null;
}
