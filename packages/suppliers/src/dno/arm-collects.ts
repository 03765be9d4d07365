/**
 * Keeps one standing collect for each DNO applet (power quality, aggregation, load control) on
 * each of the DNO's meters (DESIGN.md Decision 5): each answer re-arms that applet's next one.
 */
import { ensurePartyCollect, ensurePartyCollects } from '../shared/standing-collect';
import { DNO_APPLETS, type DnoApplet, type DnoContext } from './context';
import { dnoSessionOptions } from './session';

/**
 * Arms a collect for one applet on one meter unless one is pending.
 * @returns whether a collect was armed now.
 */
export async function ensureDnoCollect(context: DnoContext, meter: { worldId: string; meterId: string; aid: string }, appletId: DnoApplet): Promise<boolean> {
  return (await ensurePartyCollect(dnoSessionOptions(context), { worldId: meter.worldId, meterId: meter.meterId, sdAid: meter.aid, appletId })) !== null;
}

/**
 * Makes sure every DNO meter of a world has a collect on the way for each DNO applet (after a
 * crash, or a session that gave up re-opening). Returns how many were armed.
 */
export async function ensureDnoCollectsArmed(context: DnoContext, worldId: string): Promise<number> {
  const meters = await context.db.dnoMeter.findMany({ where: { worldId }, orderBy: { meterId: 'asc' } });
  return ensurePartyCollects(
    dnoSessionOptions(context),
    meters.flatMap((meter) => DNO_APPLETS.map((appletId) => ({ worldId, meterId: meter.meterId, sdAid: meter.aid, appletId }))),
  );
}
