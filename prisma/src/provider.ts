// Which database a URL points at. `DATABASE_URL` alone chooses the provider, the generated client
// and the migrations folder (TOOLCHAIN.md, "One schema for both databases").

/** The database providers `@hydra/db` supports. */
export type Provider = 'sqlite' | 'postgresql';

/**
 * The provider a database URL selects.
 *
 * @param url - `file:<path>` for SQLite, `postgres://…` or `postgresql://…` for PostgreSQL
 * @returns `'sqlite'` or `'postgresql'`
 * @throws {TypeError} when `url` is not a string
 * @throws {RangeError} for any other scheme, naming the scheme that came
 */
export function providerFor(url: string): Provider {
  if (typeof url !== 'string') throw new TypeError(`database url: expected a string, got ${typeof url}`);
  if (url.startsWith('file:')) return 'sqlite';
  if (url.startsWith('postgres://') || url.startsWith('postgresql://')) return 'postgresql';
  const scheme = /^[a-z][a-z0-9+.-]*:/i.exec(url)?.[0] ?? '(none)';
  throw new RangeError(
    `database url: expected "file:<path>", "postgres://…" or "postgresql://…", got scheme ${scheme}`,
  );
}

/**
 * The filesystem path of a SQLite `file:` URL (`file:/abs/x.db` → `/abs/x.db`).
 *
 * @throws {RangeError} when the URL is not a `file:` URL or names no path
 */
export function sqlitePathFor(url: string): string {
  if (providerFor(url) !== 'sqlite') throw new RangeError(`database url: expected a file: URL, got ${url.split(':')[0]}:`);
  // Same rule as @prisma/adapter-better-sqlite3: strip the scheme, keep the rest (including any
  // query string, which SQLite would treat as part of the name — so refuse it).
  const path = url.slice('file:'.length);
  if (path.length === 0) throw new RangeError('database url: expected a path after "file:", got nothing');
  if (path.includes('?')) throw new RangeError(`database url: query parameters are not supported in ${url}`);
  return path;
}
