/**
 * Recovers one feeder's load for local days from the masked shares the DNO holds, and stores it
 * per half hour in `DnoFeederLoad`: the exact sum once every meter the public registry puts on the
 * feeder has reported that half hour, otherwise incomplete (null) — never a partial sum. Feeders
 * of fewer than 5 meters get no rows at all (their meters send nothing, Decision 13).
 *
 * The relay delivers a feeder's meters' shares concurrently, each stored and recovered in its own
 * transaction. Recoveries of one feeder therefore take turns on its `DnoFeederRecovery` row, written
 * before the shares are read: on PostgreSQL (read committed) the next recovery waits for the row
 * until the previous one commits, then reads every share committed before it, so the days stored
 * last hold every share stored before them; SQLite runs one write transaction at a time anyway.
 * Without the turn, two recoveries each missed the other's uncommitted share, and one failed on the
 * other's rows (or replaced a complete day with an incomplete one). A turn is a handful of
 * statements whatever the number of days (a month's collect carries a share per day), so the row
 * is held briefly.
 */
import { londonMidnight, type DbTransaction } from '@hydra/db';
import { MIN_FEEDER_METERS, recoverFeederTotals } from './feeder-totals';

const HALF_HOUR_MS = 1_800_000;

/** Options for {@link recoverFeederLoad}. */
export interface RecoverFeederLoadOptions {
  tx: DbTransaction;
  worldId: string;
  feederId: string;
  /** Local dates, YYYY-MM-DD (Europe/London). */
  dates: readonly string[];
}

/**
 * Recomputes and stores the feeder's half-hourly load for each of the days.
 * @returns per date, complete and expected periods; null for a feeder too small to report.
 */
export async function recoverFeederLoad(options: RecoverFeederLoadOptions): Promise<Map<string, { complete: number; periods: number }> | null> {
  const { tx, worldId, feederId } = options;
  const dates = [...new Set(options.dates)].sort();
  // Feeder membership is the public world registry's, the same the meters' masks were set up over.
  const homes = await tx.home.findMany({ where: { worldId, feederId }, select: { meterId: true } });
  const expected = homes.map((home) => home.meterId);
  if (expected.length < MIN_FEEDER_METERS) return null;
  if (dates.length === 0) return new Map();
  // Take the feeder's turn first (see the header), then read the shares.
  await tx.dnoFeederRecovery.upsert({
    where: { worldId_feederId: { worldId, feederId } },
    create: { worldId, feederId, recoveries: 1 },
    update: { recoveries: { increment: 1 } },
  });
  const rows = await tx.dnoFeederShare.findMany({ where: { worldId, feederId, date: { in: dates } } });
  const summary = new Map<string, { complete: number; periods: number }>();
  const loads = dates.flatMap((date) => {
    const shares = new Map(rows.filter((row) => row.date === date && expected.includes(row.meterId)).map((row) => [row.meterId, JSON.parse(row.shares) as number[]]));
    const totals = recoverFeederTotals(shares, expected);
    summary.set(date, { complete: totals.filter((total) => total !== 'incomplete').length, periods: totals.length });
    const dayStart = londonMidnight(date).getTime();
    return totals.map((total, period) => ({
      worldId,
      feederId,
      date,
      period,
      start: new Date(dayStart + period * HALF_HOUR_MS),
      totalWh: total === 'incomplete' ? null : total,
      reported: [...shares.values()].filter((values) => typeof values[period] === 'number').length,
      expected: expected.length,
    }));
  });
  await tx.dnoFeederLoad.deleteMany({ where: { worldId, feederId, date: { in: dates } } });
  await tx.dnoFeederLoad.createMany({ data: loads });
  return summary;
}
