/**
 * The reads householders chose to share with the supplier (DESIGN.md Decision 11) — what its console
 * and API show. Empty for every home on the Hydra default (monthly): the meter sends none.
 */
import type { SupplierContext } from './context';

/** One meter-day of shared reads. */
export interface ConsentedReadView {
  meterId: string;
  date: string;
  resolution: 'daily' | 'half-hourly';
  /** Daily: one value; half-hourly: one per half hour of the local day. */
  importWh: number[];
  exportWh: number[];
  receivedAt: string;
}

/** Options for {@link listConsentedReads}. */
export interface ListConsentedReadsOptions {
  context: Pick<SupplierContext, 'db'>;
  worldId: string;
  /** Only this meter's reads. */
  meterId?: string;
  /** At most this many days, newest first (default 500). */
  limit?: number;
}

const values = (json: string): number[] => {
  const parsed = JSON.parse(json) as unknown;
  return Array.isArray(parsed) ? parsed.filter((v): v is number => typeof v === 'number') : typeof parsed === 'number' ? [parsed] : [];
};

/** Shared reads of a world, newest day first. */
export async function listConsentedReads(options: ListConsentedReadsOptions): Promise<ConsentedReadView[]> {
  const rows = await options.context.db.supplierConsentedRead.findMany({
    where: { worldId: options.worldId, ...(options.meterId ? { meterId: options.meterId } : {}) },
    orderBy: [{ date: 'desc' }, { meterId: 'asc' }],
    take: Math.max(1, Math.min(options.limit ?? 500, 5000)),
  });
  return rows.map((row) => ({
    meterId: row.meterId,
    date: row.date,
    resolution: row.resolution === 'half-hourly' ? 'half-hourly' : 'daily',
    importWh: values(row.importWh),
    exportWh: values(row.exportWh),
    receivedAt: row.receivedAt.toISOString(),
  }));
}
