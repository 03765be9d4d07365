/**
 * Keeps one standing collect command for each of the supplier's meters (DESIGN.md Decision 5:
 * the meter only answers; the supplier's collect is what it answers). Each answer re-arms the
 * next one, so a wrapped COLLECT is always queued at the relay or in the supplier's session.
 */
import type { SupplierContext } from './context';
import { sendCommand } from './send-command';

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

/** Re-arms every account in a world that has no pending collect (e.g. after a failed re-arm). */
export async function ensureCollectsArmed(context: SupplierContext, worldId: string): Promise<number> {
  const idle = await context.db.supplierAccount.findMany({ where: { worldId, pendingCollectId: null }, select: { meterId: true } });
  for (const { meterId } of idle) await armCollect({ context, worldId, meterId });
  return idle.length;
}
