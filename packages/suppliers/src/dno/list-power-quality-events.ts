/**
 * The power-quality events the DNO holds for a world, newest first: type, start, duration and
 * extreme voltage per meter and feeder — what its console's timeline and feeder map show.
 */
import type { DnoContext } from './context';

/** One event as the DNO's console shows it. */
export interface PowerQualityEventView {
  meterId: string;
  feederId: string;
  type: string;
  start: string;
  durationSeconds: number;
  /** Volts (0 for an outage). */
  extremeV: number;
}

/** Options for {@link listPowerQualityEvents}. */
export interface ListPowerQualityEventsOptions {
  context: Pick<DnoContext, 'db'>;
  worldId: string;
  feederId?: string;
  /** At most this many (default 500). */
  limit?: number;
}

/** Events of a world, newest first. */
export async function listPowerQualityEvents(options: ListPowerQualityEventsOptions): Promise<PowerQualityEventView[]> {
  const rows = await options.context.db.dnoPowerQualityEvent.findMany({
    where: { worldId: options.worldId, ...(options.feederId ? { feederId: options.feederId } : {}) },
    orderBy: [{ start: 'desc' }, { meterId: 'asc' }],
    take: Math.min(Math.max(options.limit ?? 500, 1), 5000),
  });
  return rows.map((row) => ({
    meterId: row.meterId,
    feederId: row.feederId,
    type: row.type,
    start: row.start.toISOString(),
    durationSeconds: row.durationSeconds,
    extremeV: row.extremeDeciV / 10,
  }));
}
