/**
 * The wellbeing alerts the telecare provider holds for a world, newest first: type, time window,
 * and whether an operator acknowledged it.
 */
import type { TelecareAlert } from '@hydra/db';
import type { TelecareContext } from './context';

/** One alert as the telecare console shows it. */
export interface AlertView {
  alertId: string;
  meterId: string;
  type: string;
  windowStart: string;
  windowEnd: string;
  receivedAt: string;
  acknowledgedAt: string | null;
  note: string | null;
}

/** The view of one alert row. */
export function toAlertView(row: TelecareAlert): AlertView {
  return {
    alertId: row.id,
    meterId: row.meterId,
    type: row.type,
    windowStart: row.windowStart.toISOString(),
    windowEnd: row.windowEnd.toISOString(),
    receivedAt: row.receivedAt.toISOString(),
    acknowledgedAt: row.acknowledgedAt ? row.acknowledgedAt.toISOString() : null,
    note: row.note,
  };
}

/** Options for {@link listAlerts}. */
export interface ListAlertsOptions {
  context: Pick<TelecareContext, 'db'>;
  worldId: string;
  /** At most this many (default 500). */
  limit?: number;
}

/** Alerts of a world, newest window first. */
export async function listAlerts(options: ListAlertsOptions): Promise<AlertView[]> {
  const rows = await options.context.db.telecareAlert.findMany({
    where: { worldId: options.worldId },
    orderBy: [{ windowStart: 'desc' }, { meterId: 'asc' }],
    take: Math.min(Math.max(options.limit ?? 500, 1), 5000),
  });
  return rows.map(toAlertView);
}
