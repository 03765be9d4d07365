/**
 * The homes enrolled with the telecare provider in a world: when each admitted it (and withdrew,
 * if it did), whether a collect is armed, and how many alerts are open.
 */
import type { TelecareContext } from './context';

/** One home as the telecare console shows it. */
export interface HomeView {
  meterId: string;
  enrolledAt: string;
  withdrawnAt: string | null;
  collectArmed: boolean;
  alerts: number;
  openAlerts: number;
}

/** Options for {@link listHomes}. */
export interface ListHomesOptions {
  context: Pick<TelecareContext, 'db'>;
  worldId: string;
}

/** Homes of a world, by meter. */
export async function listHomes(options: ListHomesOptions): Promise<HomeView[]> {
  const { db } = options.context;
  const [homes, open] = await Promise.all([
    db.telecareHome.findMany({ where: { worldId: options.worldId }, orderBy: { meterId: 'asc' }, include: { _count: { select: { alerts: true } } } }),
    db.telecareAlert.groupBy({ by: ['meterId'], where: { worldId: options.worldId, acknowledgedAt: null }, _count: { _all: true }, orderBy: { meterId: 'asc' } }),
  ]);
  const openBy = new Map(open.map((row) => [row.meterId, row._count._all]));
  return homes.map((home) => ({
    meterId: home.meterId,
    enrolledAt: home.enrolledAt.toISOString(),
    withdrawnAt: home.withdrawnAt ? home.withdrawnAt.toISOString() : null,
    collectArmed: home.pendingCollectId !== null,
    alerts: home._count.alerts,
    openAlerts: openBy.get(home.meterId) ?? 0,
  }));
}
