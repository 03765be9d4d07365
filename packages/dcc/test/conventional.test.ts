// Conventional mode's central store: it takes raw reads only from a conventional world's
// registered meters, validates them, and any party may read them back; a Hydra world is refused.
import { createTestDatabase, type TestDatabase } from '@hydra/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryConventionalReads, storeConventionalReads } from '../src/conventional';
import { conventionalReadSchema } from '../src/conventional';
import { refusal } from './refusal';

const start = new Date('2025-01-01T00:00:00Z');
const halfHours = (value: number, n = 48) => Array.from({ length: n }, (_, i) => value + i);


describe('conventional central store', () => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await createTestDatabase();
    const db = database.db.client;
    for (const [id, mode] of [['conv', 'conventional'], ['hydra', 'hydra']] as const) {
      await db.world.create({ data: { id, name: id, seed: 's', homeCount: 1, startDate: '2025-01-01', clock: start, hostProgress: start, mode } });
      await db.dccMeter.create({ data: { meterId: `${id}-m0001`, worldId: id, devicePublicKey: new Uint8Array(33), deviceCertificate: new Uint8Array(33) } });
    }
  });
  afterAll(async () => database?.dispose());

  it('stores a conventional world’s raw reads and hands them back to any caller', async () => {
    const reads = [{ meterId: 'conv-m0001', date: '2025-01-01', importWh: halfHours(100), exportWh: halfHours(0) }];
    expect(await storeConventionalReads(database.db.client, 'conv', reads)).toBe(1);
    expect(await storeConventionalReads(database.db.client, 'conv', reads)).toBe(1); // idempotent per meter-day
    const back = await queryConventionalReads(database.db.client, { worldId: 'conv' });
    expect(back).toEqual(reads);
    expect(await database.db.client.conventionalRead.count()).toBe(1);
  });

  it('refuses raw reads for a Hydra world: they never leave its meters', async () => {
    const reads = [{ meterId: 'hydra-m0001', date: '2025-01-01', importWh: halfHours(100), exportWh: halfHours(0) }];
    expect(await refusal(storeConventionalReads(database.db.client, 'hydra', reads))).toBe('ROUTE_INVALID');
    expect(await database.db.client.conventionalRead.count({ where: { worldId: 'hydra' } })).toBe(0);
  });

  it('refuses unregistered meters, unknown worlds and malformed reads', async () => {
    expect(await refusal(storeConventionalReads(database.db.client, 'conv', [{ meterId: 'conv-m9999', date: '2025-01-02', importWh: halfHours(1), exportWh: halfHours(0) }]))).toBe('METER_UNKNOWN');
    expect(await refusal(storeConventionalReads(database.db.client, 'nowhere', []))).toBe('NOT_FOUND');
    const parse = (value: unknown) => conventionalReadSchema.safeParse(value).success;
    expect(parse({ meterId: 'conv-m0001', date: '2025-01-02', importWh: halfHours(1, 47), exportWh: halfHours(0, 48) })).toBe(false);
    expect(parse({ meterId: 'conv-m0001', date: '2025-01-02', importWh: halfHours(-5), exportWh: halfHours(0) })).toBe(false);
    expect(parse({ meterId: 'conv-m0001', date: '2025-01-02', importWh: halfHours(1, 60), exportWh: halfHours(0, 60) })).toBe(false);
    expect(parse({ meterId: 'conv-m0001', date: '2025-01-02', importWh: halfHours(1, 46), exportWh: halfHours(0, 46), extra: 1 })).toBe(false);
    expect(parse({ meterId: 'conv-m0001', date: '2025-03-30', importWh: halfHours(1, 46), exportWh: halfHours(0, 46) })).toBe(true);
  });
});
