/**
 * Standing collects (DESIGN.md Decision 5: the card answers, it never initiates): a party keeps
 * one COLLECT queued for each of its applets on each meter, so the applet's outbox leaves the
 * meter at its next wake. Each answer re-arms the next one.
 */
import { bytesToHex } from '@hydra/globalplatform';
import { appletAid, collectApdu } from './applet-commands';
import { pendingPartyCommands, queuePartyCommand, resendInFlight, type PartySessionOptions } from './party-session';

/** Where a party's collect goes: world, meter, its security domain, the applet. */
export interface CollectTarget {
  worldId: string;
  meterId: string;
  sdAid: string;
  appletId: string;
}

/**
 * Queues a collect for the applet unless one is already queued or in flight in the session.
 * @returns the new collect's tag, or null when one was already pending.
 */
export async function ensurePartyCollect<Tx>(options: PartySessionOptions<Tx>, target: CollectTarget): Promise<string | null> {
  const pending = await pendingPartyCommands(options, target.meterId);
  if (pending.some((command) => command.messageClass === 'collect' && command.appletId === target.appletId)) return null;
  const tag = bytesToHex(options.random(16));
  await queuePartyCommand(options, target, { tag, appletId: target.appletId, appletAid: appletAid(target.appletId), messageClass: 'collect', apdu: collectApdu() });
  return tag;
}

/**
 * For each target: re-posts the session's downlink in flight (a crash may have come between
 * saving and posting; a byte-identical repost is "already delivered"), then arms a collect where
 * none is pending. Returns how many collects were armed.
 */
export async function ensurePartyCollects<Tx>(options: PartySessionOptions<Tx>, targets: readonly CollectTarget[]): Promise<number> {
  let armed = 0;
  const resent = new Set<string>();
  for (const target of targets) {
    if (!resent.has(target.meterId)) {
      resent.add(target.meterId);
      await resendInFlight(options, target.meterId);
    }
    if ((await ensurePartyCollect(options, target)) !== null) armed++;
  }
  return armed;
}
