/**
 * The feeders of a world as the DNO sees them: membership from the public registry, which of
 * their meters the relay announced to the DNO, and the load recovered from the masked shares for
 * one local day (per half hour; null while a meter's share is missing) — what the console charts.
 */
import type { DnoContext } from './context';
import { MIN_FEEDER_METERS } from './feeder-totals';

/** One feeder. */
export interface FeederView {
  feederId: string;
  /** Meters the public registry puts on the feeder. */
  homes: number;
  /** Of those, meters the relay announced to the DNO. */
  dnoMeters: number;
  /** False for feeders under 5 meters: their meters send nothing (Decision 13). */
  reports: boolean;
  /** Local days with at least one recovered half hour. */
  daysRecovered: number;
}

/** One half hour of recovered feeder load. */
export interface FeederLoadPoint {
  feederId: string;
  period: number;
  start: string;
  /** Wh; null while incomplete. */
  totalWh: number | null;
  reported: number;
  expected: number;
}

/** The feeders and one day's loads. */
export interface FeederOverview {
  feeders: FeederView[];
  /** Local dates with recovered loads, newest first. */
  dates: string[];
  /** The day shown (the requested one, else the newest with a recovered half hour), or null. */
  date: string | null;
  loads: FeederLoadPoint[];
}

/** Options for {@link listFeeders}. */
export interface ListFeedersOptions {
  context: Pick<DnoContext, 'db'>;
  worldId: string;
  /** Local date (YYYY-MM-DD) whose loads to return; default the newest recovered. */
  date?: string;
}

/** The feeders of a world and one day's recovered loads. */
export async function listFeeders(options: ListFeedersOptions): Promise<FeederOverview> {
  const { db } = options.context;
  const { worldId } = options;
  const [homes, meters, days, recovered] = await Promise.all([
    db.home.groupBy({ by: ['feederId'], where: { worldId }, _count: { _all: true }, orderBy: { feederId: 'asc' } }),
    db.dnoMeter.groupBy({ by: ['feederId'], where: { worldId }, _count: { _all: true }, orderBy: { feederId: 'asc' } }),
    db.dnoFeederLoad.groupBy({ by: ['feederId', 'date'], where: { worldId }, orderBy: [{ date: 'desc' }, { feederId: 'asc' }] }),
    db.dnoFeederLoad.findFirst({ where: { worldId, totalWh: { not: null } }, orderBy: { date: 'desc' }, select: { date: true } }),
  ]);
  const dnoMeters = new Map(meters.map((row) => [row.feederId, row._count._all]));
  const feeders = homes.map((row) => ({
    feederId: row.feederId,
    homes: row._count._all,
    dnoMeters: dnoMeters.get(row.feederId) ?? 0,
    reports: row._count._all >= MIN_FEEDER_METERS,
    daysRecovered: days.filter((day) => day.feederId === row.feederId).length,
  }));
  const dates = [...new Set(days.map((day) => day.date))];
  // By default the newest day with a recovered half hour (the newest may still wait for shares).
  const date = options.date && dates.includes(options.date) ? options.date : (recovered?.date ?? dates[0] ?? null);
  const rows = date ? await db.dnoFeederLoad.findMany({ where: { worldId, date }, orderBy: [{ feederId: 'asc' }, { period: 'asc' }] }) : [];
  return {
    feeders,
    dates,
    date,
    loads: rows.map((row) => ({ feederId: row.feederId, period: row.period, start: row.start.toISOString(), totalWh: row.totalWh, reported: row.reported, expected: row.expected })),
  };
}
