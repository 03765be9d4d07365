/**
 * Takes the relay's announcement that a home admitted telecare (it comes only after the relay
 * checked the meter's proof of consent): records the home as enrolled and arms the standing
 * collect for its telecare applet. A home that admits again after withdrawing is enrolled again;
 * new domain keys (a new card) forget the old session.
 */
import { bytesToHex, copyBytes, hexToBytes } from '@hydra/globalplatform';
import { resetPartySession } from '../shared/party-session';
import { ensureTelecareCollect } from './arm-collect';
import { PartyError } from '../shared/party-error';
import { TELECARE_PARTY_ID, type TelecareContext } from './context';
import { telecareSessionOptions } from './session';

/** Options for {@link admitHome}. */
export interface AdmitHomeOptions {
  context: TelecareContext;
  worldId: string;
  meterId: string;
  aid: string;
  /** Hex, SEC 1 compressed: the telecare security domain key on the meter. */
  domainPublicKey: string;
}

/**
 * Enrols the home and arms its collect.
 * @throws {PartyError} UNKNOWN_METER when the world registry has no home with this meter.
 */
export async function admitHome(options: AdmitHomeOptions): Promise<{ meterId: string }> {
  const { context, worldId, meterId, aid, domainPublicKey } = options;
  const registered = await context.db.home.findUnique({ where: { meterId }, select: { worldId: true } });
  if (!registered || registered.worldId !== worldId) throw new PartyError(TELECARE_PARTY_ID, 'UNKNOWN_METER', `telecare: meter ${meterId} is not the meter of a home in world ${worldId}`);
  const key = copyBytes(hexToBytes(domainPublicKey));
  const previous = await context.db.telecareHome.findUnique({ where: { meterId } });
  if (previous && bytesToHex(previous.domainPublicKey) !== bytesToHex(key)) await resetPartySession(telecareSessionOptions(context), meterId);
  const home = await context.db.telecareHome.upsert({
    where: { meterId },
    create: { meterId, worldId, aid, domainPublicKey: key, enrolledAt: new Date(context.now()) },
    update: { worldId, aid, domainPublicKey: key, withdrawnAt: null, pendingCollectId: null, ...(previous?.withdrawnAt ? { enrolledAt: new Date(context.now()) } : {}) },
  });
  await ensureTelecareCollect(context, home);
  return { meterId };
}
