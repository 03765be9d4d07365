/**
 * Enrols a meter when the relay announces the DNO's security domain on it: records the meter with
 * its feeder (public world registry data — which homes share a feeder is published, not learnt
 * from the meters), gives its load-control and aggregation applets the DNO's command key (each
 * write-once on the card: commands and feeder rosters are checked against it), asks the
 * aggregation applet for the public key it generates on the card (`distribute-roster.ts` sends the
 * feeder's roster once every member has answered), and arms the standing collects for the DNO's
 * three applets.
 */
import { bytesToHex, copyBytes, hexToBytes } from '@hydra/globalplatform';
import { PartyError } from '../shared/party-error';
import { resetPartySession } from '../shared/party-session';
import { ensureDnoCollect } from './arm-collects';
import { loadCommandKey } from './command-key';
import { DNO_APPLETS, DNO_PARTY_ID, type DnoContext } from './context';
import { sendDnoCommand } from './send-command';
import { dnoSessionOptions } from './session';

/** Options for {@link enrolDnoMeter}. */
export interface EnrolDnoMeterOptions {
  context: DnoContext;
  worldId: string;
  meterId: string;
  aid: string;
  /** Hex, SEC 1 compressed: the DNO's security domain key on the meter. */
  domainPublicKey: string;
}

/**
 * Records the meter and queues `personalise { dnoKey }` to load-control and to aggregation,
 * `public-key {}` to aggregation, and the three collects. Re-enrolling with new domain keys (a new
 * card) forgets the old session and the old card's aggregation key, and personalises again.
 * @throws {PartyError} UNKNOWN_METER when the world registry has no home with this meter.
 */
export async function enrolDnoMeter(options: EnrolDnoMeterOptions): Promise<{ meterId: string; feederId: string }> {
  const { context, worldId, meterId, aid, domainPublicKey } = options;
  const home = await context.db.home.findUnique({ where: { meterId }, select: { worldId: true, feederId: true } });
  if (!home || home.worldId !== worldId) throw new PartyError(DNO_PARTY_ID, 'UNKNOWN_METER', `dno: meter ${meterId} is not the meter of a home in world ${worldId}`);
  const key = copyBytes(hexToBytes(domainPublicKey));
  const previous = await context.db.dnoMeter.findUnique({ where: { meterId } });
  const rekeyed = previous !== null && bytesToHex(previous.domainPublicKey) !== bytesToHex(key);
  if (rekeyed) await resetPartySession(dnoSessionOptions(context), meterId);
  const meter = await context.db.dnoMeter.upsert({
    where: { meterId },
    create: { meterId, worldId, feederId: home.feederId, aid, domainPublicKey: key },
    update: { worldId, feederId: home.feederId, aid, domainPublicKey: key, ...(rekeyed ? { commandKey: 'pending' } : {}) },
  });
  const newCard = previous === null || rekeyed;
  // A meter enrolled before rosters existed has no aggregation row yet: set that applet up too.
  const aggregation = newCard || (await context.db.dnoAggregationKey.findUnique({ where: { meterId } })) === null;
  const dnoKey = bytesToHex((await loadCommandKey(context)).publicKey);
  if (aggregation) {
    // A new card generates a new aggregation key: the old one is forgotten until it answers.
    const fresh = { worldId, feederId: home.feederId, dnoKey: 'pending', publicKey: null, rosterSequence: null, rosterRefusal: null };
    await context.db.dnoAggregationKey.upsert({ where: { meterId }, create: { meterId, ...fresh }, update: fresh });
    await sendDnoCommand({ context, meterId, appletId: 'aggregation', name: 'personalise', body: { dnoKey }, messageClass: 'applet-command' });
    await sendDnoCommand({ context, meterId, appletId: 'aggregation', name: 'public-key', body: {}, messageClass: 'applet-command' });
  }
  // After aggregation's key (the feeder's roster waits for every member's): fewer round trips to it.
  if (newCard) await sendDnoCommand({ context, meterId, appletId: 'load-control', name: 'personalise', body: { dnoKey }, messageClass: 'applet-command' });
  for (const appletId of DNO_APPLETS) await ensureDnoCollect(context, meter, appletId);
  return { meterId, feederId: meter.feederId };
}
