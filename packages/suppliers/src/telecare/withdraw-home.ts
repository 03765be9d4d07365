/**
 * Takes the relay's notice that a home's householder withdrew telecare: the home is marked
 * withdrawn (its alerts stay, explained), and the provider's session with the meter — keys, queued
 * commands — is destroyed, so nothing more is sent to it.
 */
import { resetPartySession } from '../shared/party-session';
import type { TelecareContext } from './context';
import { telecareSessionOptions } from './session';

/** Options for {@link withdrawHome}. */
export interface WithdrawHomeOptions {
  context: TelecareContext;
  worldId: string;
  meterId: string;
}

/** Marks the home withdrawn and forgets its session. Unknown homes are a no-op. */
export async function withdrawHome(options: WithdrawHomeOptions): Promise<{ withdrawn: boolean }> {
  const { context, worldId, meterId } = options;
  const home = await context.db.telecareHome.findUnique({ where: { meterId } });
  if (!home || home.worldId !== worldId) return { withdrawn: false };
  await resetPartySession(telecareSessionOptions(context), meterId);
  await context.db.telecareHome.update({ where: { meterId }, data: { withdrawnAt: home.withdrawnAt ?? new Date(context.now()), pendingCollectId: null } });
  return { withdrawn: true };
}
