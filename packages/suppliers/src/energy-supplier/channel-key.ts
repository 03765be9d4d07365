/**
 * The supplier's channel key pair: generated once from the secure random source, kept sealed
 * under the supplier's KEK in its own `SupplierKey` table.
 */
import type { KeyPair } from '@hydra/globalplatform';
import { loadSealedKeyPair } from '../shared/sealed-key-pair';
import type { SupplierContext } from './context';

const CHANNEL_KEY_ID = 'supplier-channel-1';

/** Options for {@link loadChannelKey}. */
export type LoadChannelKeyOptions = Pick<SupplierContext, 'db' | 'kek' | 'random'>;

/** Returns the supplier's channel key pair, creating and sealing it on first use. */
export async function loadChannelKey(options: LoadChannelKeyOptions): Promise<KeyPair> {
  return loadSealedKeyPair({ table: options.db.supplierKey, kek: options.kek, random: options.random, keyId: CHANNEL_KEY_ID, purpose: 'channel' });
}
