/**
 * The host end of the supplier's channel to its security domain on one meter.
 */
import { createEcdhChannel, type SecureChannel } from '@hydra/globalplatform';
import { loadChannelKey } from './channel-key';
import { SUPPLIER_PARTY_ID, type SupplierContext } from './context';

/** Error for a meter the supplier has no account for. */
export class UnknownAccountError extends Error {
  readonly code = 'ACCOUNT_UNKNOWN';
  constructor(meterId: string) {
    super(`supplier: no account for meter ${meterId}`);
    this.name = 'UnknownAccountError';
  }
}

/** Opens the supplier's end of the channel to `meterId`. */
export async function supplierChannel(context: SupplierContext, meterId: string): Promise<SecureChannel> {
  const account = await context.db.supplierAccount.findUnique({ where: { meterId } });
  if (!account) throw new UnknownAccountError(meterId);
  const key = await loadChannelKey(context);
  return createEcdhChannel({
    role: 'host',
    privateKey: key.privateKey,
    peerPublicKey: Uint8Array.from(account.domainPublicKey),
    context: `${meterId}/${SUPPLIER_PARTY_ID}`,
    random: context.random,
  });
}
