// The CLI-only adapter fixes (TOOLCHAIN.md, three adapter bugs of Prisma 6.19.3), each pinned
// against the stock adapter it replaces: the stock one must still fail the same way — when it
// stops failing, upstream has fixed the bug and the workaround can go.
import { PrismaBetterSQLite3 } from '@prisma/adapter-better-sqlite3';
import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { PrismaPgCli, withDatabase } from '../cli-adapters/pg-catalog-text';
import { PrismaBetterSQLite3Cli } from '../cli-adapters/sqlite-shadow-script';
import { freshDatabase, pgServerUrl } from './helpers';

const script = 'CREATE TABLE a (id INTEGER PRIMARY KEY);\nCREATE TABLE b (id INTEGER PRIMARY KEY);\nINSERT INTO a VALUES (1);';
const noArgs = { args: [], argTypes: [] };

describe('bug 3: SQLite shadow replay of a whole migration.sql', () => {
  it('the stock shadow connection cannot run a multi-statement query', async () => {
    const shadow = await new PrismaBetterSQLite3({ url: ':memory:' }).connectToShadowDb();
    try {
      await expect(shadow.executeRaw({ sql: script, ...noArgs })).rejects.toThrow(/more than one statement/);
    } finally {
      await shadow.dispose();
    }
  });

  it('the CLI shadow connection runs it as a script, and still runs single statements normally', async () => {
    const shadow = await new PrismaBetterSQLite3Cli({ url: ':memory:' }).connectToShadowDb();
    try {
      expect(await shadow.executeRaw({ sql: script, ...noArgs })).toBe(0);
      await shadow.queryRaw({ sql: 'CREATE TABLE c (id INTEGER); CREATE TABLE d (id INTEGER);', ...noArgs });
      const tables = await shadow.queryRaw({ sql: "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name", ...noArgs });
      expect(tables.rows.map((row) => row[0])).toEqual(['a', 'b', 'c', 'd']);
      expect(await shadow.executeRaw({ sql: 'INSERT INTO a VALUES (2)', ...noArgs })).toBe(1);
      // A real SQL error is not swallowed.
      await expect(shadow.executeRaw({ sql: 'INSERT INTO a VALUES (1); INSERT INTO a VALUES (1);', ...noArgs })).rejects.toThrow();
    } finally {
      await shadow.dispose();
    }
  });
});

describe('withDatabase', () => {
  it('swaps the database of a connection string and keeps the rest', () => {
    expect(withDatabase('postgresql://hydra:hydra@127.0.0.1:5432/hydra?sslmode=disable', 'shadow_1')).toBe(
      'postgresql://hydra:hydra@127.0.0.1:5432/shadow_1?sslmode=disable',
    );
    expect(() => withDatabase('not a url', 'x')).toThrow(TypeError);
  });
});

describe.skipIf(!pgServerUrl)('PostgreSQL CLI adapter (HYDRA_PG_URL)', () => {
  const catalogQuery = { sql: "SELECT datname, datallowconn, 'x'::\"char\" AS kind FROM pg_database WHERE datname = current_database()", ...noArgs };

  it('bug 1 (prisma/orm#27403): stock adapter cannot read `name`/"char" columns; the CLI adapter reads them as text', async () => {
    const stock = await new PrismaPg({ connectionString: pgServerUrl }).connect();
    try {
      await expect(stock.queryRaw(catalogQuery)).rejects.toMatchObject({ cause: { kind: 'UnsupportedNativeDataType' } });
    } finally {
      await stock.dispose();
    }
    const cli = await new PrismaPgCli(pgServerUrl ?? '').connect();
    try {
      const result = await cli.queryRaw(catalogQuery);
      expect(result.rows).toEqual([[new URL(pgServerUrl ?? '').pathname.slice(1), true, 'x']]);
      const tx = await cli.startTransaction();
      expect((await tx.queryRaw(catalogQuery)).rows).toHaveLength(1);
      await tx.rollback();
    } finally {
      await cli.dispose();
    }
  });

  it('bug 2: the shadow database is a new, uniquely named database, dropped on dispose', async () => {
    const main = await freshDatabase('postgresql');
    try {
      const shadow = await new PrismaPgCli(main.url).connectToShadowDb();
      const [[name]] = (await shadow.queryRaw({ sql: 'SELECT current_database()', ...noArgs })).rows as [[string]];
      expect(name).toMatch(/^prisma_shadow_[0-9a-f]{32}$/);
      expect(name).not.toBe(new URL(main.url).pathname.slice(1));
      await shadow.dispose();
      const admin = new pg.Client({ connectionString: main.url });
      await admin.connect();
      try {
        expect((await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name])).rowCount).toBe(0);
      } finally {
        await admin.end();
      }
    } finally {
      await main.dispose();
    }
  });
});
