/**
 * Recovers one feeder's load for one local day from the masked shares the DNO holds, and stores it
 * per half hour in `DnoFeederLoad`: the exact sum once every meter the public registry puts on the
 * feeder has reported that half hour, otherwise incomplete (null) — never a partial sum. Feeders
 * of fewer than 5 meters get no rows at all (their meters send nothing, Decision 13).
 */
import { londonMidnight, type DbTransaction } from '@hydra/db';
import { MIN_FEEDER_METERS, recoverFeederTotals } from './feeder-totals';

const HALF_HOUR_MS = 1_800_000;

/** Options for {@link recoverFeederLoad}. */
export interface RecoverFeederLoadOptions {
  tx: DbTransaction;
  worldId: string;
  feederId: string;
  /** Local date, YYYY-MM-DD (Europe/London). */
  date: string;
}

/**
 * Recomputes and stores the feeder's half-hourly load for the day.
 * @returns complete and expected periods, or null for a feeder too small to report.
 */
export async function recoverFeederLoad(options: RecoverFeederLoadOptions): Promise<{ complete: number; periods: number } | null> {
  const { tx, worldId, feederId, date } = options;
  // Feeder membership is the public world registry's, the same the meters' masks were set up over.
  const homes = await tx.home.findMany({ where: { worldId, feederId }, select: { meterId: true } });
  const expected = homes.map((home) => home.meterId);
  if (expected.length < MIN_FEEDER_METERS) return null;
  const rows = await tx.dnoFeederShare.findMany({ where: { worldId, feederId, date } });
  const shares = new Map(rows.filter((row) => expected.includes(row.meterId)).map((row) => [row.meterId, JSON.parse(row.shares) as number[]]));
  const totals = recoverFeederTotals(shares, expected);
  const dayStart = londonMidnight(date).getTime();
  await tx.dnoFeederLoad.deleteMany({ where: { worldId, feederId, date } });
  await tx.dnoFeederLoad.createMany({
    data: totals.map((total, period) => ({
      worldId,
      feederId,
      date,
      period,
      start: new Date(dayStart + period * HALF_HOUR_MS),
      totalWh: total === 'incomplete' ? null : total,
      reported: [...shares.values()].filter((values) => typeof values[period] === 'number').length,
      expected: expected.length,
    })),
  });
  return { complete: totals.filter((total) => total !== 'incomplete').length, periods: totals.length };
}
