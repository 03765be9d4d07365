/**
 * Keeps one standing collect for the telecare applet of each enrolled home (DESIGN.md Decision 5),
 * and none for a home that withdrew.
 */
import { ensurePartyCollect, ensurePartyCollects } from '../shared/standing-collect';
import { TELECARE_APPLET, type TelecareContext } from './context';
import { telecareSessionOptions } from './session';

/** Arms a collect for one home unless one is pending; records it as the home's pending collect. */
export async function ensureTelecareCollect(context: TelecareContext, home: { worldId: string; meterId: string; aid: string }): Promise<boolean> {
  const tag = await ensurePartyCollect(telecareSessionOptions(context), { worldId: home.worldId, meterId: home.meterId, sdAid: home.aid, appletId: TELECARE_APPLET });
  if (tag === null) return false;
  await context.db.telecareHome.update({ where: { meterId: home.meterId }, data: { pendingCollectId: tag } });
  return true;
}

/** Makes sure every enrolled (not withdrawn) home of a world has its collect on the way. Returns how many were armed. */
export async function ensureTelecareCollectsArmed(context: TelecareContext, worldId: string): Promise<number> {
  const homes = await context.db.telecareHome.findMany({ where: { worldId, withdrawnAt: null }, orderBy: { meterId: 'asc' } });
  const armed = await ensurePartyCollects(
    telecareSessionOptions(context),
    homes.map((home) => ({ worldId, meterId: home.meterId, sdAid: home.aid, appletId: TELECARE_APPLET })),
  );
  return armed;
}
