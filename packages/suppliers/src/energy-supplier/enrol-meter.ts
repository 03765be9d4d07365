/**
 * Enrols a meter when the relay announces the supplier's security domain on it: opens (or
 * updates) the supply account, personalises the billing applet with the tariff, and queues the
 * standing collect command that the meter answers when it wakes.
 */
import { bytesToHex, copyBytes, hexToBytes } from '@hydra/globalplatform';
import { resetPartySession } from '../shared/party-session';
import { armCollect } from './arm-collect';
import { supplierSessionOptions } from './session';
import { sendCommand } from './send-command';
import type { SupplierContext } from './context';
import { ensureDefaultTariff } from './tariffs';

/** Options for {@link enrolMeter}. */
export interface EnrolMeterOptions {
  context: SupplierContext;
  worldId: string;
  meterId: string;
  aid: string;
  /** Hex, SEC 1 compressed: the supplier's security domain key on the meter. */
  domainPublicKey: string;
  /** World's first local date, the tariff's effective date. */
  startDate: string;
}

/** Creates the account and queues set-tariff and collect. Re-enrolling with new keys re-personalises. */
export async function enrolMeter(options: EnrolMeterOptions): Promise<{ accountId: string }> {
  const { context, worldId, meterId, aid, domainPublicKey, startDate } = options;
  const tariff = await ensureDefaultTariff({ ...context, worldId, effectiveFrom: startDate });
  const key = copyBytes(hexToBytes(domainPublicKey));
  const previous = await context.db.supplierAccount.findUnique({ where: { meterId } });
  // New domain keys mean a new card: whatever session we held is gone.
  if (previous && bytesToHex(previous.domainPublicKey) !== bytesToHex(key)) await resetPartySession(supplierSessionOptions(context), meterId);
  const account = await context.db.supplierAccount.upsert({
    where: { meterId },
    create: { id: `acct-${meterId}`, worldId, meterId, tariffId: tariff.id, aid, domainPublicKey: key },
    update: { aid, domainPublicKey: key, pendingCollectId: null },
  });
  await sendCommand({ context, worldId, meterId, appletId: 'billing', command: 'set-tariff', body: { tariff } });
  await armCollect({ context, worldId, meterId });
  return { accountId: account.id };
}
