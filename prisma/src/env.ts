// The one place `@hydra/db` reads the environment (STYLE.md rule 10). Everything else in the
// package — runtime module, config files, scripts — takes the database URL from here so the
// default is defined once.
import { fileURLToPath } from 'node:url';

/**
 * Absolute path of the embedded SQLite database used when `DATABASE_URL` is unset:
 * `<repo>/prisma/data/hydra.db`, computed from this file's location so it is the same from any
 * working directory.
 */
export const defaultSqlitePath: string = fileURLToPath(new URL('../data/hydra.db', import.meta.url));

/** `file:` URL of {@link defaultSqlitePath}. */
export const defaultDatabaseUrl = `file:${defaultSqlitePath}`;

/**
 * The database URL: `DATABASE_URL` when set and non-empty, else the embedded SQLite default.
 *
 * @returns a `file:` (SQLite) or `postgres://` / `postgresql://` (PostgreSQL) URL
 */
export function databaseUrl(): string {
  const value = process.env.DATABASE_URL?.trim();
  return value ? value : defaultDatabaseUrl;
}
