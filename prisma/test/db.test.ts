// @hydra/db end to end, once per provider: migrate a fresh database through the real `deploy`
// path (Prisma CLI, JS schema engine, CLI adapters), then use it through `createDb` — rows,
// transactions, P2002 — and check `drift`. PostgreSQL runs when HYDRA_PG_URL is set
// (`export HYDRA_PG_URL="$(prisma/scripts/ci-postgres.sh)"`), and is reported as skipped otherwise.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb, type Db } from '../src/create-db';
import { isUniqueViolation, uniqueViolationFields } from '../src/errors';
import { insertWorld, makeWorld } from '../src/factories';
import type { Provider } from '../src/provider';
import { committedMigrations, freshDatabase, pgServerUrl, runPrismaScript, runPrismaScriptOk, type FreshDatabase, type ScriptResult } from './helpers';

if (!pgServerUrl) {
  console.warn('[@hydra/db] PostgreSQL tests SKIPPED: set HYDRA_PG_URL (see prisma/scripts/ci-postgres.sh) to run them');
}

const cases: { provider: Provider; enabled: boolean }[] = [
  { provider: 'sqlite', enabled: true },
  { provider: 'postgresql', enabled: pgServerUrl !== undefined },
];

async function caught(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the operation to fail');
}

describe.each(cases)('@hydra/db on $provider', ({ provider, enabled }) => {
  let database: FreshDatabase;
  let db: Db;
  let secondDeploy: ScriptResult;

  beforeAll(async () => {
    if (!enabled) return;
    database = await freshDatabase(provider);
    runPrismaScriptOk(['deploy'], { DATABASE_URL: database.url });
    // Before any handle is open: migrating SQLite takes an exclusive lock on the file.
    secondDeploy = runPrismaScriptOk(['deploy'], { DATABASE_URL: database.url });
    db = createDb(database.url);
  });

  afterAll(async () => {
    if (!enabled) return;
    await db?.close();
    await database?.dispose();
  });

  describe.skipIf(!enabled)('migrated database', () => {
    it('deploy applied every committed migration, and a second deploy has nothing to do', async () => {
      const applied = await db.client.$queryRawUnsafe<{ migration_name: string }[]>(
        'SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL',
      );
      expect(applied.map((row) => row.migration_name)).toEqual(committedMigrations(provider));
      expect(secondDeploy.stdout).toContain('No pending migrations to apply');
    });

    it('createDb picks the provider from the URL', () => {
      expect(db.provider).toBe(provider);
    });

    it('stores and reads a world with its homes, idempotently', async () => {
      const data = makeWorld({ id: 'alpha', seed: 'seed-alpha', homeCount: 12, startDate: '2025-06-01' });
      expect(await insertWorld(db.client, data)).toEqual({ createdWorld: true, createdHomes: 12 });
      expect(await insertWorld(db.client, data)).toEqual({ createdWorld: false, createdHomes: 0 });

      const world = await db.client.world.findUniqueOrThrow({ where: { id: 'alpha' }, include: { homes: { orderBy: { index: 'asc' } } } });
      expect(world.clock.toISOString()).toBe('2025-05-31T23:00:00.000Z'); // London midnight in BST
      expect(world.homes).toHaveLength(12);
      expect(world.homes[0]).toMatchObject({ id: 'alpha-h0001', meterId: 'alpha-m0001', feederId: 'alpha-f01' });
      expect(world.homes[11]).toMatchObject({ id: 'alpha-h0012', meterId: 'alpha-m0012', feederId: 'alpha-f02' });
    });

    it('refuses to re-insert a world id with a different seed', async () => {
      await insertWorld(db.client, makeWorld({ id: 'beta', seed: 'one', homeCount: 2 }));
      await expect(insertWorld(db.client, makeWorld({ id: 'beta', seed: 'two', homeCount: 2 }))).rejects.toThrow(
        /world beta: exists with seed "one"/,
      );
      expect(await db.client.home.count({ where: { worldId: 'beta' } })).toBe(2);
    });

    it('round-trips bytes, booleans, nulls and dates', async () => {
      const key = Uint8Array.from({ length: 65 }, (_, i) => (i * 37) & 0xff);
      await db.client.dccMeter.create({
        data: { meterId: 'alpha-m0001', worldId: 'alpha', devicePublicKey: key, deviceCertificate: new Uint8Array([0, 255, 0]) },
      });
      const worldTime = new Date('2025-06-01T12:30:00.000Z');
      await db.client.dccMessage.create({
        data: {
          id: 'msg-1', worldId: 'alpha', direction: 'up', meterId: 'alpha-m0001', partyId: 'supplier', appletId: 'billing',
          messageClass: 'statement', sizeBytes: 512, digest: 'ab'.repeat(32), state: 'queued', standing: true,
          envelope: new Uint8Array(512).fill(7), sequence: 1, worldTime,
        },
      });
      const meter = await db.client.dccMeter.findUniqueOrThrow({ where: { meterId: 'alpha-m0001' } });
      expect(Array.from(meter.devicePublicKey)).toEqual(Array.from(key));
      const message = await db.client.dccMessage.findUniqueOrThrow({ where: { id: 'msg-1' } });
      expect(message).toMatchObject({ standing: true, attempts: 0, lastError: null, deliveredAt: null, sequence: 1 });
      expect(message.worldTime.toISOString()).toBe(worldTime.toISOString());
      expect(message.envelope?.length).toBe(512);
    });

    it('commits an interactive transaction and rolls one back on error', async () => {
      await db.client.$transaction(async (tx) => {
        await tx.dccParty.create({ data: { id: 'supplier', name: 'Supplier', role: 'supplier' } });
        await tx.dccParty.create({ data: { id: 'dno', name: 'DNO', role: 'dno' } });
      });
      const error = await caught(
        db.client.$transaction(async (tx) => {
          await tx.dccParty.create({ data: { id: 'telecare', name: 'Telecare', role: 'telecare' } });
          throw new Error('abort');
        }),
      );
      expect(error).toEqual(new Error('abort'));
      expect((await db.client.dccParty.findMany({ orderBy: { id: 'asc' } })).map((party) => party.id)).toEqual(['dno', 'supplier']);
    });

    it('rolls back a whole transaction when one statement violates a unique constraint', async () => {
      const error = await caught(
        db.client.$transaction([
          db.client.dccParty.create({ data: { id: 'p-new', name: 'New', role: 'x' } }),
          db.client.dccParty.create({ data: { id: 'supplier', name: 'Again', role: 'supplier' } }),
        ]),
      );
      expect(isUniqueViolation(error)).toBe(true);
      expect(await db.client.dccParty.findUnique({ where: { id: 'p-new' } })).toBeNull();
    });

    it('reports P2002 with the violated fields (single and composite keys)', async () => {
      const single = await caught(
        db.client.home.create({ data: { id: 'other', worldId: 'alpha', index: 99, meterId: 'alpha-m0001', archetype: 'family', feederId: 'f' } }),
      );
      expect(isUniqueViolation(single)).toBe(true);
      expect(uniqueViolationFields(single)).toEqual(['meterId']);

      const composite = await caught(
        db.client.home.create({ data: { id: 'other', worldId: 'alpha', index: 0, meterId: 'fresh-meter', archetype: 'family', feederId: 'f' } }),
      );
      expect(isUniqueViolation(composite)).toBe(true);
      expect(uniqueViolationFields(composite)).toEqual(['worldId', 'index']);
    });

    it('does not mistake a foreign-key violation for a unique violation', async () => {
      const error = await caught(
        db.client.home.create({ data: { id: 'orphan', worldId: 'no-such-world', index: 0, meterId: 'orphan-m', archetype: 'family', feederId: 'f' } }),
      );
      expect((error as { code?: string }).code).toBe('P2003');
      expect(isUniqueViolation(error)).toBe(false);
      expect(uniqueViolationFields(error)).toBeUndefined();
    });

    it('cascades a world delete to its homes', async () => {
      await insertWorld(db.client, makeWorld({ id: 'gamma', seed: 'g', homeCount: 3 }));
      await db.client.world.delete({ where: { id: 'gamma' } });
      expect(await db.client.home.count({ where: { worldId: 'gamma' } })).toBe(0);
    });
  });

  describe.skipIf(!enabled || provider !== 'sqlite')('SQLite runtime tuning', () => {
    it('uses WAL and a busy timeout, so two handles share the file', async () => {
      const journal = await db.client.$queryRawUnsafe<{ journal_mode: string }[]>('PRAGMA journal_mode');
      expect(journal).toEqual([{ journal_mode: 'wal' }]);
      const busy = await db.client.$queryRawUnsafe<{ timeout: bigint | number }[]>('PRAGMA busy_timeout');
      expect(busy.map((row) => Number(row.timeout))).toEqual([5000]);

      const other = createDb(database.url);
      try {
        await Promise.all([
          ...Array.from({ length: 10 }, (_, i) => db.client.supplierReceipt.create({ data: { messageId: `a${i}`, digest: 'd', outcome: 'ok' } })),
          ...Array.from({ length: 10 }, (_, i) => other.client.supplierReceipt.create({ data: { messageId: `b${i}`, digest: 'd', outcome: 'ok' } })),
        ]);
        expect(await other.client.supplierReceipt.count()).toBe(20);
      } finally {
        await other.close();
      }
    });

    it('deploy fails loudly, with a hint, while another connection has the file open', () => {
      const result = runPrismaScript(['deploy'], { DATABASE_URL: database.url });
      expect(result.status).toBe(1);
      expect(result.stderr).toContain('hint: migrating SQLite needs the database file to itself');
    });
  });
});

describe('scripts/prisma.ts', () => {
  it('drift: SQLite migrations match the schema; PostgreSQL is skipped without HYDRA_PG_URL', () => {
    const result = runPrismaScriptOk(['drift'], { HYDRA_PG_URL: undefined });
    expect(result.stderr).toContain('[sqlite] no drift: migrations match the schema');
    expect(result.stderr).toContain('[postgresql] drift SKIPPED');
  });

  it.skipIf(!pgServerUrl)('drift: PostgreSQL migrations match the schema (shadow database created and dropped)', async () => {
    const result = runPrismaScriptOk(['drift'], { HYDRA_PG_URL: pgServerUrl });
    expect(result.stderr).toContain('[postgresql] no drift: migrations match the schema');
    const { default: pg } = await import('pg');
    const admin = new pg.Client({ connectionString: pgServerUrl });
    await admin.connect();
    try {
      const shadows = await admin.query("SELECT datname FROM pg_database WHERE datname LIKE 'prisma_shadow_%'");
      expect(shadows.rows).toEqual([]);
    } finally {
      await admin.end();
    }
  });

  it('fails loudly: deploy to an unsupported URL exits non-zero', () => {
    const result = runPrismaScript(['deploy'], { DATABASE_URL: 'mysql://localhost/hydra' });
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/expected "file:<path>", "postgres:\/\/…" or "postgresql:\/\/…", got scheme mysql:/);
  });

  it('fails loudly: deploy to an unreachable PostgreSQL server exits non-zero', () => {
    const result = runPrismaScript(['deploy'], { DATABASE_URL: 'postgresql://nobody:x@127.0.0.1:1/none' });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('[postgresql] prisma migrate deploy failed');
  });

  it('fails loudly: new-migration refuses a bad name and an unknown command is an error', () => {
    const badName = runPrismaScript(['new-migration', 'Bad Name'], {});
    expect(badName.status).toBe(1);
    expect(badName.stderr).toContain('new-migration: expected a name of lower-case letters');
    const unknown = runPrismaScript(['migrate-all-the-things'], {});
    expect(unknown.status).toBe(1);
    expect(unknown.stderr).toContain('unknown command');
  });
});
