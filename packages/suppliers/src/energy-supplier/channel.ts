/**
 * The host end of the supplier's channel to its security domain on one meter.
 */
import { bytesToHex, createEcdhChannel, type SecureChannel } from '@hydra/globalplatform';
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

// Channels derived per (context, meter, domain key): the ECDH is done once, not per message. The
// cache lives in memory only, next to the context that holds the KEK.
const channels = new WeakMap<SupplierContext, Map<string, SecureChannel>>();

/** Opens the supplier's end of the channel to `meterId`. */
export async function supplierChannel(context: SupplierContext, meterId: string): Promise<SecureChannel> {
  const account = await context.db.supplierAccount.findUnique({ where: { meterId } });
  if (!account) throw new UnknownAccountError(meterId);
  let cache = channels.get(context);
  if (!cache) {
    cache = new Map();
    channels.set(context, cache);
  }
  const cacheKey = `${meterId}/${bytesToHex(account.domainPublicKey)}`;
  const cached = cache.get(cacheKey);
  if (cached) return cached;
  const key = await loadChannelKey(context);
  const channel = createEcdhChannel({
    role: 'host',
    privateKey: key.privateKey,
    peerPublicKey: Uint8Array.from(account.domainPublicKey),
    context: `${meterId}/${SUPPLIER_PARTY_ID}`,
    random: context.random,
  });
  cache.set(cacheKey, channel);
  return channel;
}
