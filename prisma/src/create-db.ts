// The database handle the backends use: one generated Prisma client and the stock driver adapter
// for the provider DATABASE_URL selects (TOOLCHAIN.md, "One schema for both databases"). Runtime
// only — the Prisma CLI uses the patched adapters in `prisma/cli-adapters/`.
import { existsSync } from 'node:fs';
import { dirname } from 'node:path';
import { PrismaBetterSQLite3 } from '@prisma/adapter-better-sqlite3';
import { PrismaPg } from '@prisma/adapter-pg';
import Database from 'better-sqlite3';
import { PrismaClient as PostgresClient } from '../generated/postgresql/client';
import { PrismaClient as SqliteClient, type Prisma as SqlitePrisma } from '../generated/sqlite/client';
import { databaseUrl } from './env';
import { providerFor, sqlitePathFor, type Provider } from './provider';

/**
 * The client type application code is written against.
 *
 * Both generated clients come from the same models and expose the same model API; TypeScript
 * still sees two unrelated classes (each embeds its own provider's type namespace), so one type is
 * chosen and the other client is cast to it. The SQLite client is the narrower of the two (no
 * `mode: 'insensitive'` filters, no `createMany({ skipDuplicates })`), so code that type-checks
 * against it runs on PostgreSQL as well. The reverse cast would let PostgreSQL-only options
 * type-check and fail at runtime on SQLite.
 */
export type DbClient = SqliteClient;

/** The client inside `client.$transaction(async (tx) => …)`. */
export type DbTransaction = SqlitePrisma.TransactionClient;

/** An open database: its client, which provider it is, and how to close it. */
export interface Db {
  readonly client: DbClient;
  readonly provider: Provider;
  /** Disconnects the client and releases the adapter's connections (pool or file handle). */
  close(): Promise<void>;
}

/**
 * SQLite `busy_timeout` in milliseconds: how long a connection waits for another connection's
 * write lock (the Next.js server, the CLI and tests share one file) before SQLITE_BUSY.
 */
export const sqliteBusyTimeoutMs = 5000;

/**
 * Puts a SQLite file in WAL journal mode, so readers do not block the writer and several processes
 * can share it. The mode is persistent in the file, so one short connection is enough.
 */
function enableWal(path: string): void {
  const db = new Database(path, { fileMustExist: true, timeout: sqliteBusyTimeoutMs });
  try {
    const mode = db.pragma('journal_mode = WAL', { simple: true });
    if (mode !== 'wal') throw new Error(`sqlite: could not enable WAL journal mode on ${path}, got ${String(mode)}`);
  } finally {
    db.close();
  }
}

function openSqlite(url: string): DbClient {
  const path = sqlitePathFor(url);
  if (path !== ':memory:') {
    if (!existsSync(dirname(path)) || !existsSync(path)) {
      throw new Error(
        `sqlite: no database at ${path}: run \`DATABASE_URL=${url} npx tsx prisma/scripts/prisma.ts deploy\` first`,
      );
    }
    enableWal(path);
  }
  // better-sqlite3's `timeout` option is SQLite's busy_timeout, set on every connection it opens.
  const adapter = new PrismaBetterSQLite3({ url, timeout: sqliteBusyTimeoutMs });
  return serializeTransactions(new SqliteClient({ adapter }));
}

/**
 * SQLite allows one writer. An interactive transaction that reads first and writes later starts
 * as a reader; if another connection writes in between, SQLite cannot upgrade it
 * (SQLITE_BUSY_SNAPSHOT) and busy_timeout does not help. So every interactive transaction here
 * opens with a write that touches no row — taking the write lock up front, as BEGIN IMMEDIATE
 * would (waiting up to busy_timeout for it) — and this process runs them one at a time.
 * PostgreSQL needs none of this.
 */
function serializeTransactions(client: SqliteClient): SqliteClient {
  const original = client.$transaction.bind(client) as (...args: unknown[]) => Promise<unknown>;
  let tail: Promise<unknown> = Promise.resolve();
  const queued = (first: unknown, ...rest: unknown[]): Promise<unknown> => {
    const args =
      typeof first === 'function'
        ? [
            async (tx: { $executeRawUnsafe(sql: string): Promise<number> }) => {
              await tx.$executeRawUnsafe('UPDATE "World" SET "id" = "id" WHERE 0');
              return (first as (tx: unknown) => Promise<unknown>)(tx);
            },
            ...rest,
          ]
        : [first, ...rest];
    const run = tail.then(
      () => original(...args),
      () => original(...args),
    );
    tail = run.catch(() => undefined);
    return run;
  };
  Object.defineProperty(client, '$transaction', { value: queued, configurable: true, writable: true });
  return client;
}

function openPostgres(url: string): DbClient {
  const adapter = new PrismaPg({ connectionString: url });
  // Same models, same model API; see `DbClient` for why the SQLite type is the shared one.
  return new PostgresClient({ adapter }) as unknown as DbClient;
}

/**
 * Opens the database `url` points at.
 *
 * Connections are made lazily, on the first query.
 *
 * @param url - `file:<path>` (SQLite) or `postgres://…` / `postgresql://…`; defaults to
 *   `DATABASE_URL`, else `<repo>/prisma/data/hydra.db`
 * @returns the client, its provider and `close()`
 * @throws {RangeError} for an unsupported URL scheme
 * @throws {Error} when a SQLite file does not exist yet (run `deploy` first)
 *
 * Warning: every call opens new connections; create one `Db` per process and `close()` it.
 */
export function createDb(url: string = databaseUrl()): Db {
  const provider = providerFor(url);
  const client = provider === 'sqlite' ? openSqlite(url) : openPostgres(url);
  return {
    client,
    provider,
    close: () => client.$disconnect(),
  };
}
