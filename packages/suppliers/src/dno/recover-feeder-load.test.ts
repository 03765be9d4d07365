// Recovering a feeder's day while its meters' shares arrive at the same moment (the relay delivers
// every channel's head concurrently): each delivery stores its meter's share and recovers the day in
// its own transaction. All of them must succeed, and the day stored last must hold every share —
// on PostgreSQL too, where transactions run concurrently (HYDRA_TEST_DATABASE=postgresql).
import { createTestDatabase, type TestDatabase } from '@hydra/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recoverFeederTotals } from './feeder-totals';
import { recoverFeederLoad } from './recover-feeder-load';

const worldId = 'feeder-race';
const feederId = 'feeder-0001';
const meters = Array.from({ length: 8 }, (_, i) => `${worldId}-m${String(i + 1).padStart(4, '0')}`);

/** Shares whose pairwise masks cancel over the feeder; the feeder's load is 100 + period Wh per meter. */
function shares(seed: number): Map<string, number[]> {
  let x = seed;
  const rnd = () => (x = (Math.imul(x, 1664525) + 1013904223) >>> 0);
  const out = new Map(meters.map((meterId) => [meterId, Array.from({ length: 48 }, (_, t) => 100 + t)]));
  for (let a = 0; a < meters.length; a++) {
    for (let b = a + 1; b < meters.length; b++) {
      for (let t = 0; t < 48; t++) {
        const mask = rnd();
        const first = out.get(meters[a] as string) as number[];
        const second = out.get(meters[b] as string) as number[];
        first[t] = ((first[t] as number) + mask) % 2 ** 32;
        second[t] = ((second[t] as number) - mask + 2 ** 32) % 2 ** 32;
      }
    }
  }
  return out;
}

describe('recovering a feeder day while its shares arrive concurrently', () => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await createTestDatabase();
    const start = new Date('2025-01-01T00:00:00Z');
    await database.db.client.world.create({ data: { id: worldId, name: 'Race', seed: 's', homeCount: meters.length, startDate: '2025-01-01', clock: start, hostProgress: start } });
    await database.db.client.home.createMany({ data: meters.map((meterId, index) => ({ id: `${worldId}-h${index}`, worldId, index, meterId, archetype: 'family', feederId })) });
  });
  afterAll(async () => database?.dispose());

  for (const [round, date] of ['2025-01-02', '2025-01-03', '2025-01-04'].entries()) {
    it(`every delivery succeeds and the day holds every share (${date})`, async () => {
      const db = database.db.client;
      const day = shares(round + 1);
      const deliveries = await Promise.allSettled(
        meters.map((meterId) =>
          db.$transaction(async (tx) => {
            await tx.dnoFeederShare.create({ data: { worldId, feederId, date, meterId, shares: JSON.stringify(day.get(meterId)) } });
            return recoverFeederLoad({ tx, worldId, feederId, dates: [date] });
          }),
        ),
      );
      expect(deliveries.filter((d) => d.status === 'rejected').map((d) => String((d as PromiseRejectedResult).reason).slice(0, 200))).toEqual([]);
      const rows = await db.dnoFeederLoad.findMany({ where: { worldId, feederId, date }, orderBy: { period: 'asc' } });
      expect(rows.map((row) => row.totalWh)).toEqual(recoverFeederTotals(day, meters));
      expect(rows.map((row) => row.totalWh)).toEqual(Array.from({ length: 48 }, (_, t) => meters.length * (100 + t)));
      expect(rows.every((row) => row.reported === meters.length && row.expected === meters.length)).toBe(true);
      expect(await db.dnoFeederRecovery.findUnique({ where: { worldId_feederId: { worldId, feederId } } })).toMatchObject({ recoveries: (round + 1) * meters.length });
    });
  }
});
