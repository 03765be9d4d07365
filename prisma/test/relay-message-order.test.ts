// The migration that gives DccMessage a database-assigned sequence (…_relay_message_order), on a
// database that already holds messages: rows carried per-channel sequences (1, 2, … in each
// channel), which collide across channels; afterwards every row has its own sequence, each
// channel's messages are still in their order, and a new row follows them. Applied as the
// committed SQL, once per provider (PostgreSQL when HYDRA_PG_URL is set).
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { sqlitePathFor } from '../src/provider';
import { freshDatabase, pgServerUrl, prismaRoot, type FreshDatabase } from './helpers';

const MIGRATION = 'relay_message_order';

function migrations(provider: 'sqlite' | 'postgresql'): { before: string[]; it: string } {
  const dir = join(prismaRoot, provider, 'migrations');
  const names = readdirSync(dir, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name).sort();
  const at = names.findIndex((name) => name.endsWith(`_${MIGRATION}`));
  if (at < 0) throw new Error(`no ${MIGRATION} migration for ${provider}`);
  const sql = (name: string) => readFileSync(join(dir, name, 'migration.sql'), 'utf8');
  return { before: names.slice(0, at).map(sql), it: sql(names[at] as string) };
}

// id, meterId, direction, per-channel sequence, received — receivedAt deliberately out of order within m1's uplinks.
const ROWS = [
  ['a', 'm1', 'uplink', 1, '2025-01-01T00:00:03.000Z'],
  ['b', 'm1', 'uplink', 2, '2025-01-01T00:00:01.000Z'],
  ['c', 'm2', 'uplink', 1, '2025-01-01T00:00:02.000Z'],
  ['d', 'm1', 'downlink', 1, '2025-01-01T00:00:00.000Z'],
  ['e', 'm1', 'uplink', 3, '2025-01-01T00:00:00.000Z'],
  ['f', 'm2', 'uplink', 2, '2025-01-01T00:00:04.000Z'],
] as const;
const COLUMNS = '"id","worldId","direction","meterId","partyId","appletId","messageClass","sizeBytes","digest","state","sequence","worldTime","receivedAt"';
const NEW_ROW = `INSERT INTO "DccMessage" ("id","worldId","direction","meterId","partyId","appletId","messageClass","sizeBytes","digest","state","worldTime") VALUES ('g','w','uplink','m1','supplier','billing','collect-response',1,'d','queued','2025-01-01T00:00:05.000+00:00')`;

/** Ids per channel in sequence order, and the new row's place. */
function channels(rows: { id: string; meterId: string; direction: string; sequence: number }[]): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const row of [...rows].sort((x, y) => x.sequence - y.sequence)) (out[`${row.meterId}/${row.direction}`] ??= []).push(row.id);
  return out;
}

const expected = { 'm1/uplink': ['a', 'b', 'e', 'g'], 'm2/uplink': ['c', 'f'], 'm1/downlink': ['d'] };

describe('migration relay_message_order on a database with messages', () => {
  const databases: FreshDatabase[] = [];
  afterAll(async () => {
    for (const database of databases) await database.dispose();
  });

  it('sqlite: one sequence per row, each channel in its order, new rows after', async () => {
    const database = await freshDatabase('sqlite');
    databases.push(database);
    const path = sqlitePathFor(database.url);
    mkdirSync(dirname(path), { recursive: true });
    const db = new Database(path);
    try {
      const { before, it: migration } = migrations('sqlite');
      for (const sql of before) db.exec(sql);
      const insert = db.prepare(`INSERT INTO "DccMessage" (${COLUMNS}) VALUES (?,'w',?,?,'supplier','billing','collect-response',1,'d','queued',?,?,?)`);
      for (const [id, meterId, direction, sequence, at] of ROWS) insert.run(id, direction, meterId, sequence, at.replace('Z', '+00:00'), at.replace('Z', '+00:00'));
      db.exec(migration);
      db.exec(NEW_ROW);
      const rows = db.prepare('SELECT "id", "meterId", "direction", "sequence" FROM "DccMessage"').all() as { id: string; meterId: string; direction: string; sequence: number }[];
      expect(new Set(rows.map((row) => row.sequence)).size).toBe(rows.length);
      expect(channels(rows)).toEqual(expected);
      expect(rows.find((row) => row.id === 'g')?.sequence).toBe(ROWS.length + 1);
    } finally {
      db.close();
    }
  });

  it.skipIf(!pgServerUrl)('postgresql: one sequence per row, each channel in its order, new rows after', async () => {
    const database = await freshDatabase('postgresql');
    databases.push(database);
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    try {
      const { before, it: migration } = migrations('postgresql');
      for (const sql of before) await client.query(sql);
      for (const [id, meterId, direction, sequence, at] of ROWS) {
        await client.query(`INSERT INTO "DccMessage" (${COLUMNS}) VALUES ($1,'w',$2,$3,'supplier','billing','collect-response',1,'d','queued',$4,$5,$5)`, [id, direction, meterId, sequence, at]);
      }
      await client.query(migration);
      await client.query(NEW_ROW);
      const { rows } = await client.query<{ id: string; meterId: string; direction: string; sequence: number }>('SELECT "id", "meterId", "direction", "sequence" FROM "DccMessage"');
      expect(new Set(rows.map((row) => row.sequence)).size).toBe(rows.length);
      expect(channels(rows)).toEqual(expected);
      expect(rows.find((row) => row.id === 'g')?.sequence).toBe(ROWS.length + 1);
    } finally {
      await client.end();
    }
  });
});
