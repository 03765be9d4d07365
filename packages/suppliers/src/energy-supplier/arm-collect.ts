/**
 * Keeps one standing collect command for each of the supplier's meters (DESIGN.md Decision 5:
 * the meter only answers; the supplier's collect is what it answers). Each answer re-arms the
 * next one, so a wrapped COLLECT is always queued at the relay or in the supplier's session.
 */
import type { SupplierContext } from './context';
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
 * Makes sure every account in a world has its collect on the way: re-posts each session's
 * downlink in flight (a crash may have come between saving the session and posting it; the relay
 * answers a byte-identical repost "already delivered") and re-arms accounts with no pending
 * collect (e.g. after a failed re-arm).
 */
export async function ensureCollectsArmed(context: SupplierContext, worldId: string): Promise<number> {
  const accounts = await context.db.supplierAccount.findMany({ where: { worldId }, select: { meterId: true, pendingCollectId: true } });
  const options = supplierSessionOptions(context);
  for (const { meterId } of accounts) await resendInFlight(options, meterId);
  const idle = accounts.filter((account) => account.pendingCollectId === null);
  for (const { meterId } of idle) await armCollect({ context, worldId, meterId });
  return idle.length;
}
