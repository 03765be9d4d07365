/**
 * Conventional mode (DESIGN.md Decision 12): for comparison only, the DCC acts as a central data
 * hub. Meters of a conventional world send their raw half-hourly reads in plain; the DCC stores
 * them in its own `ConventionalRead` table and every party may query them. A Hydra-mode world is
 * refused here: its raw reads never leave a meter.
 */
import type { DbClient } from '@hydra/db';
import { z } from 'zod';
import { RelayError } from './errors';

const MAX_READS_PER_BATCH = 2000;
const wh = z.array(z.number().int().min(0).max(1_000_000)).min(46).max(50);

/** One meter-day of raw reads. */
export const conventionalReadSchema = z
  .object({
    meterId: z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/),
    date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
    importWh: wh,
    exportWh: wh,
  })
  .strict()
  .refine((read) => read.importWh.length === read.exportWh.length, { message: 'importWh and exportWh must cover the same half hours' });

/** A meter-day of raw reads. */
export type ConventionalReadInput = z.infer<typeof conventionalReadSchema>;

/**
 * Stores raw reads from a conventional world's meters (idempotent per meter and date).
 * @throws {RelayError} ROUTE_INVALID for a Hydra-mode world, NOT_FOUND for an unknown world,
 *   METER_UNKNOWN for a meter not registered in the world.
 */
export async function storeConventionalReads(db: DbClient, worldId: string, reads: readonly ConventionalReadInput[]): Promise<number> {
  if (reads.length > MAX_READS_PER_BATCH) throw new RelayError('ENVELOPE_OVERSIZED', `conventional reads: at most ${MAX_READS_PER_BATCH} meter-days per request, got ${reads.length}`);
  const world = await db.world.findUnique({ where: { id: worldId }, select: { mode: true } });
  if (!world) throw new RelayError('NOT_FOUND', `world ${worldId} does not exist`);
  if (world.mode !== 'conventional') throw new RelayError('ROUTE_INVALID', `world ${worldId} is in ${world.mode} mode: raw reads never leave its meters`);
  const meterIds = [...new Set(reads.map((r) => r.meterId))];
  const registered = await db.dccMeter.count({ where: { worldId, meterId: { in: meterIds } } });
  if (registered !== meterIds.length) throw new RelayError('METER_UNKNOWN', 'conventional reads: every meter must be registered in this world');
  let stored = 0;
  await db.$transaction(async (tx) => {
    for (const read of reads) {
      const data = { worldId, meterId: read.meterId, date: read.date, importWh: JSON.stringify(read.importWh), exportWh: JSON.stringify(read.exportWh) };
      await tx.conventionalRead.upsert({ where: { meterId_date: { meterId: read.meterId, date: read.date } }, create: data, update: data });
      stored++;
    }
  });
  return stored;
}

/** Raw reads as any party may query them in a conventional world. */
export async function queryConventionalReads(
  db: DbClient,
  query: { worldId: string; meterId?: string; from?: string; to?: string; limit?: number },
): Promise<ConventionalReadInput[]> {
  const rows = await db.conventionalRead.findMany({
    where: {
      worldId: query.worldId,
      ...(query.meterId ? { meterId: query.meterId } : {}),
      ...(query.from || query.to ? { date: { ...(query.from ? { gte: query.from } : {}), ...(query.to ? { lt: query.to } : {}) } } : {}),
    },
    orderBy: [{ meterId: 'asc' }, { date: 'asc' }],
    take: Math.min(query.limit ?? 5000, 20_000),
  });
  return rows.map((row) => ({ meterId: row.meterId, date: row.date, importWh: JSON.parse(row.importWh) as number[], exportWh: JSON.parse(row.exportWh) as number[] }));
}
