/**
 * Keeps one standing collect command for each of the supplier's meters (DESIGN.md Decision 5:
 * the meter only answers; the supplier's collect is what it answers). Each answer re-arms the
 * next one, so a wrapped COLLECT is always queued at the relay or in the supplier's session.
 */
import type { SupplierContext } from './context';
import { ensurePartyCollect } from '../shared/standing-collect';
import { resendInFlight } from '../shared/party-session';
import { sendCommand } from './send-command';
import { supplierSessionOptions } from './session';

/** Options for {@link armCollect}. */
export interface ArmCollectOptions {
  context: SupplierContext;
  worldId: string;
  meterId: string;
}

/** Queues a collect command for one meter and records its tag as the account's pending collect. */
export async function armCollect(options: ArmCollectOptions): Promise<string> {
  const { context, worldId, meterId } = options;
  const tag = await sendCommand({ context, worldId, meterId, appletId: 'billing', command: 'collect', body: {} });
  await context.db.supplierAccount.update({ where: { meterId }, data: { pendingCollectId: tag } });
  return tag;
}

/**
 * Arms a collect for one meter unless one is already queued or in flight in its session.
 * @returns whether a collect was armed now.
 */
export async function ensureCollectArmed(context: SupplierContext, worldId: string, meterId: string): Promise<boolean> {
  const account = await context.db.supplierAccount.findUnique({ where: { meterId } });
  if (!account) return false;
  const tag = await ensurePartyCollect(supplierSessionOptions(context), { worldId, meterId, sdAid: account.aid, appletId: 'billing' });
  if (tag === null) return false;
  await context.db.supplierAccount.update({ where: { meterId }, data: { pendingCollectId: tag } });
  return true;
}

/**
 * Makes sure every account in a world has its collect on the way: re-posts each session's
 * downlink in flight (a crash may have come between saving the session and posting it, or the
 * relay may have been unreachable; a byte-identical repost is "already delivered") and arms a
 * collect wherever none is queued or in flight (a kill between answer and re-arm, or a session
 * that gave up re-opening). Returns how many were armed.
 */
export async function ensureCollectsArmed(context: SupplierContext, worldId: string): Promise<number> {
  const accounts = await context.db.supplierAccount.findMany({ where: { worldId }, select: { meterId: true } });
  const options = supplierSessionOptions(context);
  let armed = 0;
  for (const { meterId } of accounts) {
    await resendInFlight(options, meterId);
    if (await ensureCollectArmed(context, worldId, meterId)) armed++;
  }
  return armed;
}
