// Fresh, migrated databases for other packages' tests. The committed migration SQL is applied
// directly (SQLite through better-sqlite3, PostgreSQL through pg) — the same statements
// `prisma migrate deploy` runs, without a Prisma CLI process per test file; `deploy` itself is
// covered by this package's own tests. Then every query goes through the real Prisma client.
// PostgreSQL is used when HYDRA_TEST_DATABASE=postgresql and HYDRA_PG_URL points at a server.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import pg from 'pg';
import { createDb, type Db } from './create-db';
import { testPostgresServerUrl } from './env';

const prismaRoot = join(dirname(fileURLToPath(import.meta.url)), '..');

function migrationSql(provider: 'sqlite' | 'postgresql'): string[] {
  const dir = join(prismaRoot, provider, 'migrations');
  return readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort()
    .map((name) => readFileSync(join(dir, name, 'migration.sql'), 'utf8'));
}

/** A migrated database for one test file, and how to throw it away. */
export interface TestDatabase {
  db: Db;
  url: string;
  provider: 'sqlite' | 'postgresql';
  dispose(): Promise<void>;
}

/** The provider tests run on: PostgreSQL when asked for and configured, else SQLite. */
export function testProvider(): 'sqlite' | 'postgresql' {
  return testPostgresServerUrl() ? 'postgresql' : 'sqlite';
}

/** Creates a fresh database with every committed migration applied. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const pgServer = testPostgresServerUrl();
  if (pgServer) {
    const server = new URL(pgServer);
    const name = `hydra_test_${randomUUID().replace(/-/g, '')}`;
    const admin = new pg.Client({ connectionString: server.toString() });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
    const url = new URL(server.toString());
    url.pathname = `/${name}`;
    const client = new pg.Client({ connectionString: url.toString() });
    await client.connect();
    for (const sql of migrationSql('postgresql')) await client.query(sql);
    await client.end();
    const db = createDb(url.toString());
    return {
      db,
      url: url.toString(),
      provider: 'postgresql',
      async dispose() {
        await db.close();
        const drop = new pg.Client({ connectionString: server.toString() });
        await drop.connect();
        try {
          // FORCE cannot end a backend of another role (an autovacuum worker that just started on
          // the new database, on a busy server): wait for it and try again.
          for (let attempt = 1; ; attempt++) {
            try {
              await drop.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
              break;
            } catch (error) {
              if (attempt >= 10 || !/member of the role whose process is being terminated|being accessed by other users/.test(String(error))) throw error;
              await new Promise((resolve) => setTimeout(resolve, 500 * attempt));
            }
          }
        } finally {
          await drop.end();
        }
      },
    };
  }
  const dir = mkdtempSync(join(tmpdir(), 'hydra-test-'));
  const file = join(dir, 'test.db');
  const sqlite = new Database(file);
  for (const sql of migrationSql('sqlite')) sqlite.exec(sql);
  sqlite.close();
  const url = `file:${file}`;
  const db = createDb(url);
  return {
    db,
    url,
    provider: 'sqlite',
    async dispose() {
      await db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
